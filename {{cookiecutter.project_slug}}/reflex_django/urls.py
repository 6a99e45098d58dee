"""Layer 2: helpers for ``config/urls.py``.

``reflex_mount()`` returns the SPA catch-all that must come last; it also
carries the Reflex settings (``app_name``, ``rx_config``) so that ``urls.py``
is the one place that says how Django and Reflex share the site.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.resolvers import RegexPattern
from django.views.generic import RedirectView

from .prefixes import normalize_prefix, normalize_prefixes
from .views import ReflexMountView

#: The URL name of the SPA catch-all, for ``reverse("reflex_spa")`` (the root).
SPA_URL_NAME = "reflex_spa"


@dataclass(frozen=True)
class ReflexMount:
    """What ``reflex_mount()`` was told; read by rxconfig, commands and checks."""

    app_name: str
    django_prefixes: tuple[str, ...]
    rx_config: dict[str, Any] = field(default_factory=dict)

    @property
    def backend_port(self) -> int:
        """The port ``run_reflex`` serves on unless told otherwise."""
        return int(self.rx_config.get("backend_port", 8000))

    @property
    def frontend_port(self) -> int:
        """The SPA's own port in the legacy ``reflex_led`` layout (Reflex's default 3000)."""
        return int(self.rx_config.get("frontend_port", 3000))


class ReflexMountPattern(URLPattern):
    """The SPA catch-all: matches every path, and carries its :class:`ReflexMount`."""

    def __init__(self, mount: ReflexMount) -> None:
        view = ReflexMountView.as_view(django_prefixes=mount.django_prefixes)
        super().__init__(
            RegexPattern(r"", name=SPA_URL_NAME, is_endpoint=True), view, name=SPA_URL_NAME
        )
        self.reflex_mount = mount


def reflex_mount(
    app_name: str = "app",
    django_prefix: Iterable[str] | str = ("/admin", "/api"),
    rx_config: dict[str, Any] | None = None,
) -> ReflexMountPattern:
    """The SPA catch-all: put it after every Django route in ``urlpatterns``.

    ``django_prefix`` lists the path prefixes Django owns. Every one of them
    needs a real route above this line; a path under one of them that no
    route matches is a Django 404 instead of the SPA shell. ``rx_config`` is
    passed to ``rx.Config`` (``backend_port`` is also ``run_reflex``'s port).
    """
    return ReflexMountPattern(
        ReflexMount(
            app_name=app_name,
            django_prefixes=normalize_prefixes(django_prefix),
            rx_config=dict(rx_config or {}),
        )
    )


def admin_urlpatterns(prefix: str = "/admin") -> list[URLPattern | URLResolver]:
    """The admin at ``<prefix>/``, and a permanent redirect to it from ``<prefix>``.

    ``prefix`` is normalized like every prefix here (``"backoffice"``,
    ``"/backoffice/"``: the same). The redirect is explicit because
    CommonMiddleware's ``APPEND_SLASH`` never sees the bare prefix: the SPA
    catch-all matches it first. List the prefix in ``django_prefix`` too.
    """
    route = normalize_prefix(prefix).lstrip("/")
    return [
        path(f"{route}/", admin.site.urls),
        path(route, RedirectView.as_view(pattern_name="admin:index", permanent=True)),
    ]


def find_mount(patterns: Sequence[URLPattern | URLResolver] | None = None) -> ReflexMount:
    """The :class:`ReflexMount` in the root URLconf.

    Raises ``LookupError`` with the fix when ``urls.py`` has no ``reflex_mount()``.
    """
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, ReflexMountPattern):
            return pattern.reflex_mount
    raise LookupError(
        "The root URLconf has no reflex_mount(). Add "
        "`urlpatterns += [reflex_mount(...)]` at the end of your urls.py."
    )
