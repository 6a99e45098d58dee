"""Whose pages may open Reflex's socket: Django's CSRF origin rule, for ASGI scopes."""

import pytest

from reflex_django.origins import OriginPolicy, asgi_header_name


def scope(origin, host="shop.example", scheme="ws", **headers):
    pairs = [(b"host", host.encode()), (b"origin", origin.encode())]
    pairs += [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    return {"type": "websocket", "scheme": scheme, "headers": pairs}


POLICY = OriginPolicy(allowed_hosts=("shop.example", ".shop.test"), trusted_origins=())


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        ("http://shop.example", "shop.example", "ws"),
        ("https://shop.example", "shop.example", "wss"),
        ("http://shop.example:8000", "shop.example:8000", "ws"),
        ("http://eu.shop.test", "eu.shop.test", "ws"),
    ],
)
def test_the_site_own_origin_is_allowed(origin, host, scheme):
    assert POLICY.allows(scope(origin, host, scheme))


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        ("http://evil.example", "shop.example", "ws"),
        ("http://shop.example.evil", "shop.example", "ws"),
        ("https://shop.example", "shop.example", "ws"),  # scheme differs
        ("http://shop.example", "shop.example", "wss"),
        ("http://shop.example:9000", "shop.example:8000", "ws"),
        ("http://other.example", "other.example", "ws"),  # Host not in ALLOWED_HOSTS
        ("null", "shop.example", "ws"),  # sandboxed iframes, file:// pages
    ],
)
def test_any_other_origin_is_refused(origin, host, scheme):
    assert not POLICY.allows(scope(origin, host, scheme))


def test_no_origin_header_means_no_browser_and_is_allowed():
    assert POLICY.allows(
        {"type": "websocket", "scheme": "ws", "headers": [(b"host", b"shop.example")]}
    )


def test_csrf_trusted_origins_are_allowed_exactly_or_by_subdomain():
    policy = OriginPolicy((), trusted_origins=("https://app.example", "https://*.example.org"))
    assert policy.allows(scope("https://app.example", host="backend.internal"))
    assert policy.allows(scope("https://eu.example.org", host="backend.internal"))
    assert not policy.allows(scope("http://eu.example.org", host="backend.internal"))
    assert not policy.allows(scope("https://example.org.evil", host="backend.internal"))


def test_https_behind_a_proxy_is_read_from_secure_proxy_ssl_header():
    policy = OriginPolicy(("shop.example",), (), proxy_ssl_header=("x-forwarded-proto", "https"))
    assert policy.allows(scope("https://shop.example", x_forwarded_proto="https"))
    assert not policy.allows(scope("https://shop.example", x_forwarded_proto="http"))


def test_settings_are_read_like_django_reads_them(settings):
    settings.ALLOWED_HOSTS = []
    settings.DEBUG = True
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.example"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    policy = OriginPolicy.from_settings()
    assert policy.allows(scope("http://localhost:8000", host="localhost:8000"))
    assert policy.trusted_origins == ("https://app.example",)
    assert policy.proxy_ssl_header == ("x-forwarded-proto", "https")


def test_asgi_header_name():
    assert asgi_header_name("HTTP_X_CSRFTOKEN") == "x-csrftoken"


def test_without_allowed_hosts_and_debug_no_host_is_allowed(settings):
    settings.ALLOWED_HOSTS, settings.DEBUG = [], False
    policy = OriginPolicy.from_settings()
    assert policy.allowed_hosts == ()
    assert not policy.allows(scope("http://localhost:8000", host="localhost:8000"))


def test_use_x_forwarded_host_is_read_from_settings(settings):
    settings.USE_X_FORWARDED_HOST = True
    assert OriginPolicy.from_settings().use_x_forwarded_host is True
    settings.USE_X_FORWARDED_HOST = False
    assert OriginPolicy.from_settings().use_x_forwarded_host is False


def test_x_forwarded_host_counts_only_when_django_would_use_it():
    forwarded = scope(
        "http://shop.example", host="backend.internal", x_forwarded_host="shop.example"
    )
    assert not POLICY.allows(forwarded)
    trusting = OriginPolicy(("shop.example", "x.internal"), (), use_x_forwarded_host=True)
    assert trusting.allows(forwarded)
    assert trusting.allows(
        scope(
            "http://shop.example",
            host="backend.internal",
            x_forwarded_host="shop.example, x.internal",
        )
    )
    assert not trusting.allows(
        scope(
            "http://x.internal", host="backend.internal", x_forwarded_host="shop.example,x.internal"
        )
    )
    assert not trusting.allows(scope("http://backend.internal", host="backend.internal"))


def test_a_request_without_a_host_has_no_own_origin():
    anything = OriginPolicy(("*",), ())
    no_host = {"type": "websocket", "scheme": "ws", "headers": [(b"origin", b"http://XXXX")]}
    assert not anything.allows(no_host)


def test_the_first_proxy_ssl_value_decides_and_a_tls_scope_is_secure():
    policy = OriginPolicy(("shop.example",), (), proxy_ssl_header=("x-forwarded-proto", "https"))
    assert policy.allows(scope("https://shop.example", x_forwarded_proto="https,http"))
    assert POLICY.allows(scope("https://shop.example", scheme="https"))
    assert POLICY.allows(scope("https://shop.example", scheme="wss"))


def test_an_origin_that_does_not_parse_is_not_trusted():
    policy = OriginPolicy((), trusted_origins=("https://*.example.org",))
    assert not policy.allows(scope("http://[::1", host="backend.internal"))
