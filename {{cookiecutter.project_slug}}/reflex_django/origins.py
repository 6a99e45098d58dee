"""Whose pages may talk to Reflex's socket: the site's own origins only.

Browsers send cookies with a WebSocket handshake whatever page opens it, and
Reflex accepts any ``Origin``. Without this check a page on another site
could open ``/_event`` with a visitor's session (cross-site WebSocket
hijacking). The rule is Django's CSRF origin rule: the request's own
scheme and host, when the host is in ``ALLOWED_HOSTS``, or an entry of
``CSRF_TRUSTED_ORIGINS`` (``https://*.example.com`` included).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

#: What Django allows when DEBUG is on and ALLOWED_HOSTS is empty.
DEBUG_ALLOWED_HOSTS = (".localhost", "127.0.0.1", "[::1]")


def scope_headers(scope: Mapping[str, Any]) -> dict[str, str]:
    """The scope's headers by lower-case name (ASGI guarantees lower case)."""
    # Mutation testing: codec names are case-insensitive ("LATIN-1" is the same codec).
    return {
        name.decode("latin-1"): value.decode("latin-1")  # pragma: no mutate
        for name, value in scope.get("headers", [])
    }


@dataclass(frozen=True)
class OriginPolicy:
    """The settings the check needs, read once."""

    allowed_hosts: tuple[str, ...]
    trusted_origins: tuple[str, ...]
    #: SECURE_PROXY_SSL_HEADER as an ASGI header name and value, if set.
    proxy_ssl_header: tuple[str, str] | None = None
    use_x_forwarded_host: bool = False

    @classmethod
    def from_settings(cls) -> OriginPolicy:
        hosts = settings.ALLOWED_HOSTS or (DEBUG_ALLOWED_HOSTS if settings.DEBUG else ())
        proxy = settings.SECURE_PROXY_SSL_HEADER
        return cls(
            allowed_hosts=tuple(hosts),
            trusted_origins=tuple(settings.CSRF_TRUSTED_ORIGINS),
            proxy_ssl_header=(asgi_header_name(proxy[0]), proxy[1]) if proxy else None,
            use_x_forwarded_host=settings.USE_X_FORWARDED_HOST,
        )

    def allows(self, scope: Mapping[str, Any]) -> bool:
        """Whether the scope came from one of the site's own pages.

        A scope with no ``Origin`` header is let through: browsers always
        send one on WebSocket handshakes and cross-origin requests, so its
        absence means a client that carries no visitor's cookies.
        """
        headers = scope_headers(scope)
        origin = headers.get("origin")
        if origin is None:
            return True
        return origin == self.own_origin(scope, headers) or self.is_trusted(origin)

    def own_origin(self, scope: Mapping[str, Any], headers: Mapping[str, str]) -> str | None:
        """``scheme://host`` of the request itself, if its host is allowed."""
        host = headers.get("host", "")
        if self.use_x_forwarded_host and "x-forwarded-host" in headers:
            host = headers["x-forwarded-host"].split(",")[0].strip()
        domain, _ = split_domain_port(host)
        if not domain or not validate_host(domain, self.allowed_hosts):
            return None
        return f"{'https' if self.is_secure(scope, headers) else 'http'}://{host}"

    def is_secure(self, scope: Mapping[str, Any], headers: Mapping[str, str]) -> bool:
        if self.proxy_ssl_header:
            name, secure_value = self.proxy_ssl_header
            if name in headers:
                return headers[name].split(",")[0].strip() == secure_value
        return scope.get("scheme") in ("https", "wss")

    def is_trusted(self, origin: str) -> bool:
        if origin in self.trusted_origins:
            return True
        try:
            parsed = urlsplit(origin)
        except ValueError:
            return False
        return any(
            parsed.scheme == trusted.scheme
            # Mutation testing: a wildcard netloc is "*." + domain, so stripping
            # other characters along with "*" changes nothing.
            and is_same_domain(parsed.netloc, trusted.netloc.lstrip("*"))  # pragma: no mutate
            for trusted in map(urlsplit, self.trusted_origins)
            if trusted.netloc.startswith("*")
        )


def asgi_header_name(meta_name: str) -> str:
    """``HTTP_X_FORWARDED_PROTO`` -> ``x-forwarded-proto``."""
    return meta_name.removeprefix("HTTP_").lower().replace("_", "-")
