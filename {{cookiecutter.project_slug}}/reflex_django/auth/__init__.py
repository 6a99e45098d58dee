"""Django accounts for Reflex pages, on Django's own HttpOnly session.

``add_auth_pages()`` registers the login, registration and password-reset
pages; ``reflex_django.auth.state.AuthState`` shows who is logged in;
``reflex_django.auth.request.django_request(state)`` gives any event handler
the Django request (session and user) behind its event.
"""


def add_auth_pages() -> None:
    """Register ``/login``, ``/register``, ``/password_reset`` and ``/password_reset_confirm``."""
    # Imported here: the states need Django's apps loaded, and this package is
    # also imported by urls.py, which must stay cheap to load.
    from .pages import register_auth_pages

    register_auth_pages()
