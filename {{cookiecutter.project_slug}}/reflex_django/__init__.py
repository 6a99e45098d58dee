"""Django and Reflex in one ASGI process, on one port, with one session.

A project imports what it needs from here; every name in ``__all__`` is
public and stays put, and everything else in the package may change.

The package follows the three routing layers of the design:

* layer 1, :mod:`reflex_django.django_outer_dispatcher`: picks Django or Reflex
  for every ASGI scope, using the pure rules in :mod:`reflex_django.prefixes`;
* layer 2, :mod:`reflex_django.urls` and :mod:`reflex_django.views`: the SPA
  catch-all at the end of ``urls.py`` and the view that serves the bundle;
* layer 3, :mod:`reflex_django.pages`: the ``@template`` pages that Reflex's
  client router navigates between.

On top of them, :mod:`reflex_django.auth` gives those pages Django's accounts
on one HttpOnly session, and :mod:`reflex_django.origins` keeps other sites
off Reflex's socket.

The names load lazily, on first use: this package is an installed app, so
Django imports it before the app registry is ready, and most of these names
need models (the auth states) or Reflex itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # "as" marks each name as re-exported, for linters and type checkers
    from .asgi import get_asgi_application as get_asgi_application
    from .auth import add_auth_pages as add_auth_pages
    from .auth.conf import auth_settings as auth_settings
    from .auth.request import django_request as django_request
    from .auth.state import AuthState as AuthState
    from .messages import django_messages as django_messages
    from .pages import template as template
    from .rxconfig import config_from_urlconf as config_from_urlconf
    from .threads import run_sync as run_sync
    from .urls import admin_urlpatterns as admin_urlpatterns
    from .urls import reflex_mount as reflex_mount
    from .visitors import visitor_id as visitor_id

#: Each public name and the module that defines it.
_EXPORTS = {
    "reflex_mount": ".urls",
    "admin_urlpatterns": ".urls",
    "template": ".pages",
    "add_auth_pages": ".auth",
    "auth_settings": ".auth.conf",
    "AuthState": ".auth.state",
    "django_request": ".auth.request",
    "django_messages": ".messages",
    "run_sync": ".threads",
    "get_asgi_application": ".asgi",
    "config_from_urlconf": ".rxconfig",
    "visitor_id": ".visitors",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
