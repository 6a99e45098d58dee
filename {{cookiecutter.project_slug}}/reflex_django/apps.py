from django.apps import AppConfig


class ReflexDjangoConfig(AppConfig):
    name = "reflex_django"
    verbose_name = "Reflex on Django"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the system checks)
        from .auth import checks as auth_checks  # noqa: F401  (and the auth ones)
        from .auth.backends import forgive_logged_in
        from .auth.conf import auth_settings

        auth_settings()  # a bad REFLEX_DJANGO_AUTH fails here, at start-up
        user_logged_in.connect(forgive_logged_in, dispatch_uid="reflex_django.forgive_logged_in")
