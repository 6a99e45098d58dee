"""The auth pages' URLconf. Include it above ``reflex_mount()``::

    path("accounts/", include("reflex_django.auth.urls")),

The auth pages themselves are SPA routes; only the session hand-off needs
Django. Check ``reflex_django.E009`` reports a project that forgets it.
"""

from django.urls import path

from .views import session_login

app_name = "reflex_django_auth"

#: The session view's name, for reverse().
SESSION_URL = f"{app_name}:session"

urlpatterns = [path("session/", session_login, name="session")]
