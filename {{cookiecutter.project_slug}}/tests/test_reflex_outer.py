"""The legacy "reflex_led" layout's layer 1, driven with ASGI scopes.

``django_under_reflex`` is what ``rx.App(api_transformer=...)`` gets in that
mode; here it wraps a recording stand-in for Reflex's backend and the real
Django handler, so a Django answer is Django's own.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from reflex_django.conf import ROUTING_MODES
from reflex_django.django_outer_dispatcher import POLICY_VIOLATION
from reflex_django.origins import OriginPolicy
from reflex_django.reflex_outer import (
    FrontendOriginPolicy,
    ReflexOuterDispatcher,
    api_transformer,
    django_under_reflex,
    is_reflex_led,
)
from reflex_django.socket_cookies import SCOPE_KEY

from .test_dispatcher import RecordingApp, call

FRONTEND_PORT = 3000


@pytest.fixture
def apps():
    django, reflex = RecordingApp(), RecordingApp()
    return django, reflex, ReflexOuterDispatcher(django, reflex, ("/admin", "api/"))


@pytest.mark.parametrize("path", ["/admin", "/admin/", "/admin/login/", "/api", "/api/products/"])
def test_http_under_a_django_prefix_goes_to_django(apps, path):
    django, reflex, dispatcher = apps
    call(dispatcher, {"type": "http", "path": path})
    assert django.paths == [path] and reflex.paths == []


@pytest.mark.parametrize(
    "path", ["/", "/adminx", "/admin-x/", "/apix", "/about", "/x/admin/", "/_event", "/ping"]
)
def test_every_other_path_goes_to_reflex_and_never_to_django(apps, path):
    django, reflex, dispatcher = apps
    call(dispatcher, {"type": "http", "path": path})
    assert reflex.paths == [path] and django.paths == []


@pytest.mark.parametrize("scope", [{"type": "websocket", "path": "/admin/"}, {"type": "lifespan"}])
def test_django_never_sees_a_websocket_or_the_lifespan(apps, scope):
    django, reflex, dispatcher = apps
    call(dispatcher, scope)
    assert django.paths == [] and len(reflex.paths) == 1


@pytest.fixture
def led(settings):
    """``django_under_reflex`` around a recording Reflex, with the project's URLconf."""
    settings.REFLEX_DJANGO_URL_ROUTING = "reflex_led"
    reflex = RecordingApp()
    return reflex, django_under_reflex(reflex)


def status_of(sent):
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


def http(path, headers=()):
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"localhost:8000"), *headers],
        "scheme": "http",
        "server": ("localhost", 8000),
        "client": ("127.0.0.1", 50000),
    }


def get(app, path, headers=()):
    """The messages ``app`` sends for a GET of ``path`` from a client that stays connected."""
    sent, requested = [], asyncio.Event()

    async def receive():
        if not requested.is_set():
            requested.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # Django listens for a disconnect that never comes

    async def send(message):
        sent.append(message)

    with ThreadPoolExecutor(max_workers=1) as worker:  # Playwright may hold this thread's loop
        worker.submit(asyncio.run, app(http(path, headers), receive, send)).result()
    return sent


def test_the_transformer_gives_django_its_prefixes_and_static_url(led):
    reflex, app = led
    # config/urls.py's django_prefix has /admin: Django's admin redirects to its login.
    assert status_of(get(app, "/admin/")) == 302
    # STATIC_URL is Django's too: its 404 for a missing file, not Reflex's.
    assert status_of(get(app, "/static/no-such-file.css")) == 404
    assert reflex.paths == []
    for path in ("/", "/adminx", "/about"):
        get(app, path)
    assert reflex.paths == ["/", "/adminx", "/about"]


def test_reflexs_endpoints_keep_their_guards(led):
    reflex, app = led
    sent = get(app, "/_event/", [(b"origin", b"http://evil.example")])
    assert status_of(sent) == 403 and reflex.paths == []
    call(app, http("/_event/", [(b"origin", b"http://localhost:3000"), (b"cookie", b"a=b")]))
    assert reflex.paths == ["/_event/"]
    scope = reflex.scopes[0]
    assert b"cookie" not in dict(scope["headers"]) and scope[SCOPE_KEY] == "a=b"


def test_other_websockets_are_refused_at_the_handshake(led):
    reflex, app = led
    scope = {**http("/admin/"), "type": "websocket"}
    sent = call(app, scope, [{"type": "websocket.connect"}])
    assert sent == [
        {"type": "websocket.close", "code": POLICY_VIOLATION, "reason": sent[0]["reason"]}
    ]
    assert reflex.paths == []


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://localhost:8000", True),  # the backend's own origin
        ("http://localhost:3000", True),  # the frontend, on the same host
        ("http://localhost:3001", False),
        ("https://localhost:3000", False),
        ("http://evil.example:3000", False),
        ("http://localhost", False),
        ("http://localhost:notaport", False),
    ],
)
def test_the_frontends_port_on_the_same_host_is_an_own_origin(settings, origin, allowed):
    settings.ALLOWED_HOSTS = ["localhost"]
    policy = FrontendOriginPolicy(OriginPolicy.from_settings(), FRONTEND_PORT)
    scope = http("/_event/", [(b"origin", origin.encode())])
    assert policy.allows(scope) is allowed


def test_a_frontend_port_on_a_host_django_does_not_allow_is_refused(settings):
    settings.ALLOWED_HOSTS = ["example.com"]
    policy = FrontendOriginPolicy(OriginPolicy.from_settings(), FRONTEND_PORT)
    assert not policy.allows(http("/_event/", [(b"origin", b"http://localhost:3000")]))


def test_the_transformer_is_there_only_in_reflex_led_mode(settings):
    assert ROUTING_MODES["reflex_led"] == "reflex_led"
    assert api_transformer() is None and not is_reflex_led()
    settings.REFLEX_DJANGO_URL_ROUTING = "reflex_led"
    assert api_transformer() is django_under_reflex
