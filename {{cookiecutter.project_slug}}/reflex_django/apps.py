from django.apps import AppConfig


class ReflexDjangoConfig(AppConfig):
    name = "reflex_django"
    verbose_name = "Reflex on Django"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .auth.conf import auth_settings

        auth_settings()  # a bad REFLEX_DJANGO_AUTH fails here, at start-up
