"""Layer 3: SPA pages declared with ``@template`` in any app's ``views.py``.

The pages never appear in ``urls.py``: Reflex's client router navigates
between them in the browser, and on a hard refresh Django's catch-all serves
the SPA, which renders the route. Pages are found the way the admin finds
``admin.py`` modules: every installed app's ``views`` module is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

PageComponent = Callable[[], Any]


@dataclass(frozen=True)
class Page:
    """One SPA route and the function that renders it."""

    route: str
    component: PageComponent
    title: str | None = None
    on_load: Any = None
    login_required: bool = False

    @property
    def qualified_name(self) -> str:
        return f"{self.component.__module__}.{self.component.__qualname__}"


_pages: dict[str, Page] = {}


def normalize_route(route: str) -> str:
    """``"about/"``, ``"/about"`` and ``"about"`` are the same SPA route."""
    return "/" + route.strip("/")


def register(page: Page) -> None:
    """Add ``page``; a second function on the same route is an error."""
    existing = _pages.get(page.route)
    if existing and existing.qualified_name != page.qualified_name:
        raise ImproperlyConfigured(
            f"SPA route {page.route!r} is declared twice: by "
            f"{existing.qualified_name} and by {page.qualified_name}."
        )
    _pages[page.route] = page


def template(
    route: str, title: str | None = None, on_load: Any = None, login_required: bool = False
) -> Callable[[PageComponent], PageComponent]:
    """Declare the decorated function as the SPA page at ``route``.

    ``route`` uses Reflex's syntax, so ``/products/[slug]`` is dynamic.
    ``on_load`` takes the event handler(s) to run when the page opens.
    ``login_required`` sends anonymous visitors to the login page, with
    ``?next=`` pointing back here, and renders nothing for them meanwhile.
    """

    def decorator(component: PageComponent) -> PageComponent:
        register(Page(normalize_route(route), component, title, on_load, login_required))
        return component

    return decorator


def autodiscover() -> None:
    """Import every installed app's ``views`` module, registering its pages."""
    autodiscover_modules("views")


def registered_pages() -> list[Page]:
    """Every declared page, in declaration order."""
    return list(_pages.values())


def page_for_route(route: str) -> Page | None:
    """The page declared at ``route`` (Reflex's syntax: ``/products/[slug]``)."""
    return _pages.get(normalize_route(route))


def add_pages(app: Any, guard: Callable[[Page], Page]) -> None:
    """Add every declared page to the ``rx.App``.

    ``login_required`` pages go through ``guard`` first, which puts them
    behind the login check (``reflex_django.auth.pages.guarded``): this
    module knows that pages can require a login, not how logins work.
    """
    for page in registered_pages():
        page = guard(page) if page.login_required else page
        # A lazily translated title becomes text in LANGUAGE_CODE here, at build time.
        title = None if page.title is None else str(page.title)
        options = {"title": title, "on_load": page.on_load}
        app.add_page(
            page.component,
            route=page.route,
            **{key: value for key, value in options.items() if value is not None},
        )
