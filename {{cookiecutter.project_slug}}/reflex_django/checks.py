"""System checks: catch each routing pitfall of the design before a user does.

Each check has a stable id (``reflex_django.E0xx`` for errors, ``W0xx`` for
warnings), a message that says what is wrong, and a hint that says the fix.
The auth checks (E009, E010, E011, W004) live in :mod:`reflex_django.auth.checks`.
The routing checks ask Django's own resolver: they build one from the
patterns *above* ``reflex_mount()`` and see which probe paths it claims, so
``include()`` and regexes are judged exactly as requests would be.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from .bundle import EXPORT_COMMAND, find_bundle_dir
from .conf import ROUTING_MODES, setting
from .pages import autodiscover, registered_pages
from .prefixes import owning_prefix, path_has_prefix, reserved_reflex_prefixes
from .reflex_outer import is_reflex_led
from .urls import ReflexMount, ReflexMountPattern
from .views import non_spa_prefixes

#: A path no real project routes: whatever claims it claims everything.
PROBE_SEGMENT = "reflex-django-probe-7f3a"

Patterns = Sequence[URLPattern | URLResolver]


@register()
def check_settings(**kwargs: Any) -> list[CheckMessage]:
    """E001: an unknown routing mode; E002: an unusable reserved prefix."""
    errors: list[CheckMessage] = []
    routing = setting("URL_ROUTING")
    if routing not in ROUTING_MODES:
        errors.append(
            Error(
                f"REFLEX_DJANGO_URL_ROUTING = {routing!r} is not a supported mode.",
                hint='Remove the setting, or set it to "auto" (or "reflex_led" for the '
                "legacy two-port layout).",
                id="reflex_django.E001",
            )
        )
    try:
        reserved_reflex_prefixes()
    except ImproperlyConfigured as exc:
        errors.append(
            Error(
                f"REFLEX_DJANGO_RESERVED_REFLEX_PREFIXES: {exc}",
                hint="List path prefixes such as '/_my_reflex_api'.",
                id="reflex_django.E002",
            )
        )
    return errors


class Probe:
    """The patterns above the mount, as a root URLconf that paths can be tried on."""

    def __init__(self, patterns: Patterns) -> None:
        self.patterns = list(patterns)
        self.resolver = URLResolver(RegexPattern(r"^/"), self.patterns)

    def claims(self, path: str) -> bool:
        """Whether some pattern above the mount resolves ``path``."""
        try:
            self.resolver.resolve(path)
        except Resolver404:
            return False
        return True


def probe_path(route: str) -> str:
    """A concrete path for an SPA route: ``/products/[slug]`` -> ``/products/x``."""
    return re.sub(r"\[[^\]]*\]", PROBE_SEGMENT, route)


def literal_prefix(pattern: URLPattern | URLResolver) -> str:
    """The fixed leading text of a pattern: ``api/`` for ``path("api/", ...)``."""
    text = str(pattern.pattern).lstrip("^")
    return re.split(r"[<\[\(\\.*+?{|$]", text, maxsplit=1)[0]


@register(Tags.urls)
def check_urlconf(**kwargs: Any) -> list[CheckMessage]:
    """The routing pitfalls: mount missing or not last, shadowing, drift, hijacks."""
    patterns = list(get_resolver().url_patterns)
    mounts = [i for i, p in enumerate(patterns) if isinstance(p, ReflexMountPattern)]
    if not mounts:
        return [
            Error(
                "The root URLconf has no reflex_mount(): no path will serve the SPA.",
                hint="End config/urls.py with `urlpatterns += [reflex_mount(...)]`.",
                id="reflex_django.E003",
            )
        ]
    index = mounts[0]
    mount: ReflexMount = patterns[index].reflex_mount
    above = Probe(patterns[:index])
    messages: list[CheckMessage] = []
    if index != len(patterns) - 1:
        messages.append(
            Error(
                f"reflex_mount() is not the last URL pattern: the {len(patterns) - index - 1} "
                "pattern(s) after it can never match, because the SPA catch-all takes every path.",
                hint="Move Django routes above reflex_mount().",
                id="reflex_django.E004",
            )
        )
    shadowing = check_shadowing(above)
    messages += shadowing
    if any(m.is_serious() for m in shadowing):
        return messages  # every probe below would just hit the same catch-all
    messages += check_reflex_led_prefixes(mount)
    messages += check_prefix_drift(above, mount)
    messages += check_reserved_prefixes(above, mount)
    messages += check_spa_routes(above)
    return messages


def check_shadowing(above: Probe) -> list[CheckMessage]:
    """E005: a pattern above the mount takes any path; W001: it takes ``/``."""
    if above.claims(f"/{PROBE_SEGMENT}/{PROBE_SEGMENT}"):
        return [
            Error(
                "A URL pattern above reflex_mount() matches any path, so SPA pages "
                "get that view (blank pages, or Django 404s) instead of the SPA.",
                hint="Keep Django routes under explicit prefixes such as 'api/'; "
                "let reflex_mount() own everything else.",
                id="reflex_django.E005",
            )
        ]
    if above.claims("/"):
        return [
            Warning(
                "A Django route above reflex_mount() takes '/', so the SPA's home "
                "page is never served on a page load.",
                hint="Move that route under a prefix, or drop the SPA's '/' page.",
                id="reflex_django.W001",
            )
        ]
    return []


def has_routes_under(above: Probe, prefix: str) -> bool:
    """Whether a pattern above the mount serves paths under ``prefix``.

    Either it resolves ``prefix/`` itself, or its fixed text lies under the
    prefix (``api/v1/``) or above it (an ``include("api/")`` for ``/api/v1``).
    """
    if above.claims(f"{prefix}/"):
        return True
    literals = ("/" + literal_prefix(p).rstrip("/") for p in above.patterns)
    return any(
        path_has_prefix(literal, prefix) or path_has_prefix(prefix, literal)
        for literal in literals
        if literal != "/"
    )


def check_prefix_drift(above: Probe, mount: ReflexMount) -> list[CheckMessage]:
    """E006: a django_prefix with no route; W002: a route outside django_prefix."""
    messages: list[CheckMessage] = [
        Error(
            f"django_prefix lists {prefix!r}, but no Django route above "
            "reflex_mount() starts with it.",
            hint=f"Add path({prefix.lstrip('/') + '/'!r}, ...) above reflex_mount(), "
            "or make the django_prefix entry match the real route.",
            id="reflex_django.E006",
        )
        for prefix in mount.django_prefixes
        if not has_routes_under(above, prefix)
    ]
    # STATIC_URL and MEDIA_URL count as covered: the mount view answers a
    # missing file under them with a 404 too (static() serves MEDIA_URL in DEBUG).
    covered = non_spa_prefixes(mount.django_prefixes, settings.STATIC_URL, settings.MEDIA_URL)
    reflex_led = is_reflex_led()
    for pattern in above.patterns:
        literal = literal_prefix(pattern)
        first = literal.split("/")[0]
        if first and not owning_prefix(f"/{literal}".rstrip("/"), covered):
            messages.append(
                unreachable_route(pattern, first)
                if reflex_led
                else Warning(
                    f"The Django route {str(pattern.pattern)!r} is not covered by "
                    "django_prefix: a path under it that no route matches gets the "
                    "SPA shell instead of a 404.",
                    hint=f"Add '/{first}' to reflex_mount(django_prefix=...).",
                    id="reflex_django.W002",
                )
            )
    return messages


def check_reflex_led_prefixes(mount: ReflexMount) -> list[CheckMessage]:
    """E012: the legacy layout, where Django gets only django_prefix, with none listed.

    W005: that layout with Reflex's CORS policy left at any origin, which
    then covers Django's responses too.
    """
    if not is_reflex_led():
        return []
    messages: list[CheckMessage] = []
    if not mount.django_prefixes:
        messages.append(
            Error(
                'REFLEX_DJANGO_URL_ROUTING = "reflex_led" sends Django only the paths under '
                "reflex_mount(django_prefix=...), and it lists none: no Django route can "
                "be reached.",
                hint="List the prefixes of your Django routes, "
                "e.g. django_prefix=('/admin', '/api').",
                id="reflex_django.E012",
            )
        )
    if "*" in mount.rx_config.get("cors_allowed_origins", ("*",)):
        messages.append(
            Warning(
                'With REFLEX_DJANGO_URL_ROUTING = "reflex_led", Reflex\'s CORS policy also '
                "covers Django's responses, and it allows any origin (Reflex's default): "
                "a page of another origin on the same site may read them with the "
                "visitor's cookies.",
                hint="Name your SPA's origins in reflex_mount(rx_config={"
                "'cors_allowed_origins': ['http://localhost:3000', ...]}).",
                id="reflex_django.W005",
            )
        )
    return messages


def unreachable_route(pattern: URLPattern | URLResolver, first: str) -> CheckMessage:
    """E013: in the legacy layout, a Django route outside django_prefix never gets a request."""
    return Error(
        f"The Django route {str(pattern.pattern)!r} is not covered by django_prefix. "
        'With REFLEX_DJANGO_URL_ROUTING = "reflex_led", Reflex answers every other '
        "path, so this route is never reached.",
        hint=f"Add '/{first}' to reflex_mount(django_prefix=...).",
        id="reflex_django.E013",
    )


def check_reserved_prefixes(above: Probe, mount: ReflexMount) -> list[CheckMessage]:
    """E007: a Django route, or a django_prefix, under a reserved Reflex prefix."""
    messages: list[CheckMessage] = []
    for prefix in reserved_reflex_prefixes():
        hijacked = any(
            above.claims(path) for path in (prefix, f"{prefix}/", f"{prefix}/{PROBE_SEGMENT}")
        )
        overlapping = any(
            path_has_prefix(p, prefix) or path_has_prefix(prefix, p) for p in mount.django_prefixes
        )
        if hijacked or overlapping:
            messages.append(
                Error(
                    f"A Django route or django_prefix entry lies under Reflex's reserved "
                    f"prefix {prefix!r}. Reflex always answers there, so the Django "
                    "route is dead and a mistake could break Reflex's socket.",
                    hint=f"Move the Django route out of {prefix!r}.",
                    id="reflex_django.E007",
                )
            )
    return messages


def check_spa_routes(above: Probe) -> list[CheckMessage]:
    """E008: an @template page that a Django route above the mount also takes."""
    autodiscover()
    return [
        Error(
            f"The SPA page {page.route!r} ({page.qualified_name}) is also matched by "
            "a Django route, which answers every page load of it instead of the SPA.",
            hint="Remove the Django path(): @template(route=...) is all an SPA page needs.",
            id="reflex_django.E008",
        )
        for page in registered_pages()
        if page.route != "/" and above.claims(probe_path(page.route))
    ]


@register(Tags.urls, deploy=True)
def check_bundle(**kwargs: Any) -> list[CheckMessage]:
    """W003 (with --deploy): there is no compiled SPA to serve."""
    if find_bundle_dir() is not None:
        return []
    return [
        Warning(
            "The compiled Reflex SPA was not found: every SPA page will be a 404.",
            hint=f"Run {EXPORT_COMMAND} (python manage.py run_reflex does it for you).",
            id="reflex_django.W003",
        )
    ]
