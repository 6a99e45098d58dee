"""Layer 1, driven directly with ASGI scopes and fake receive/send."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from reflex_django.django_outer_dispatcher import (
    POLICY_VIOLATION,
    DjangoOuterDispatcher,
)
from reflex_django.socket_cookies import SCOPE_KEY


class RecordingApp:
    """An ASGI app that only remembers the scopes it was given."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.scopes: list[dict] = []

    async def __call__(self, scope, receive, send) -> None:
        self.paths.append(scope.get("path", scope["type"]))
        self.scopes.append(scope)
        self.channels = (receive, send)


def call(dispatcher, scope, messages=()):
    inbox, sent = list(messages), []

    async def receive():
        return inbox.pop(0)

    async def send(message):
        sent.append(message)

    # A thread of its own: Playwright's sync API may hold this thread's loop.
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, dispatcher(scope, receive, send)).result()
    return sent


@pytest.fixture
def apps():
    django, reflex = RecordingApp(), RecordingApp()
    return django, reflex, DjangoOuterDispatcher(django, reflex, allow_uploads=True)


def test_lifespan_goes_to_reflex(apps):
    django, reflex, dispatcher = apps
    call(dispatcher, {"type": "lifespan"})
    assert reflex.paths == ["lifespan"] and django.paths == []


@pytest.mark.parametrize(
    "path",
    [
        "/_event",
        "/_event/",
        "/_upload",
        "/_upload/files",
        "/_health",
        "/ping",
        "/_all_routes",
        "/auth-codespace",
    ],
)
def test_reserved_http_paths_go_to_reflex(apps, path):
    django, reflex, dispatcher = apps
    call(dispatcher, {"type": "http", "path": path})
    assert reflex.paths == [path] and django.paths == []


@pytest.mark.parametrize(
    "path", ["/", "/admin/", "/api/products/", "/_eventual", "/pingpong", "/about", "/x/_event"]
)
def test_other_http_paths_go_to_django(apps, path):
    django, reflex, dispatcher = apps
    call(dispatcher, {"type": "http", "path": path})
    assert django.paths == [path] and reflex.paths == []


def test_reserved_websocket_goes_to_reflex(apps):
    django, reflex, dispatcher = apps
    call(dispatcher, {"type": "websocket", "path": "/_event/"})
    assert reflex.paths == ["/_event/"] and django.paths == []


@pytest.mark.parametrize("path", ["/", "/ws", "/_eventual", "/admin/"])
def test_other_websockets_are_refused_at_the_handshake(apps, path):
    django, reflex, dispatcher = apps
    sent = call(dispatcher, {"type": "websocket", "path": path}, [{"type": "websocket.connect"}])
    assert sent == [
        {
            "type": "websocket.close",
            "code": POLICY_VIOLATION,
            "reason": "No WebSocket endpoint at this path.",
        }
    ]
    assert django.paths == [] and reflex.paths == []


def test_a_websocket_that_disconnects_first_gets_nothing_sent(apps):
    _, _, dispatcher = apps
    sent = call(
        dispatcher, {"type": "websocket", "path": "/ws"}, [{"type": "websocket.disconnect"}]
    )
    assert sent == []


def test_extra_reserved_prefixes_from_settings(settings):
    settings.REFLEX_DJANGO_RESERVED_REFLEX_PREFIXES = ("/_my_reflex",)
    django, reflex = RecordingApp(), RecordingApp()
    dispatcher = DjangoOuterDispatcher(django, reflex)
    call(dispatcher, {"type": "http", "path": "/_my_reflex/x"})
    call(dispatcher, {"type": "http", "path": "/_event"})
    assert reflex.paths == ["/_my_reflex/x", "/_event"] and django.paths == []


def test_explicit_prefixes_replace_the_defaults():
    django, reflex = RecordingApp(), RecordingApp()
    dispatcher = DjangoOuterDispatcher(django, reflex, reserved_prefixes=["/only"])
    call(dispatcher, {"type": "http", "path": "/_event"})
    call(dispatcher, {"type": "http", "path": "/only"})
    assert django.paths == ["/_event"] and reflex.paths == ["/only"]


def test_unknown_scope_types_are_dropped_with_a_warning(apps, caplog):
    django, reflex, dispatcher = apps
    assert call(dispatcher, {"type": "webtransport", "path": "/"}) == []
    assert django.paths == reflex.paths == []
    assert caplog.messages == ["Dropped an ASGI scope of unsupported type 'webtransport'."]


def websocket(path, origin=None, host="shop.example", scheme="ws"):
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return {"type": "websocket", "path": path, "scheme": scheme, "headers": headers}


@pytest.fixture
def site(settings):
    settings.ALLOWED_HOSTS = ["shop.example"]
    settings.CSRF_TRUSTED_ORIGINS = []
    django, reflex = RecordingApp(), RecordingApp()
    return django, reflex, DjangoOuterDispatcher(django, reflex, allow_uploads=True)


@pytest.mark.parametrize("origin", [None, "http://shop.example"])
def test_the_event_socket_opens_for_the_site_itself(site, origin):
    _, reflex, dispatcher = site
    call(dispatcher, websocket("/_event/", origin), [{"type": "websocket.connect"}])
    assert reflex.paths == ["/_event/"]


def test_a_foreign_origin_is_refused_before_reflex_sees_the_handshake(site, caplog):
    django, reflex, dispatcher = site
    scope = websocket("/_event/", "http://evil.example")
    sent = call(dispatcher, scope, [{"type": "websocket.connect"}])
    assert sent == [
        {
            "type": "websocket.close",
            "code": POLICY_VIOLATION,
            "reason": "Cross-site WebSocket refused.",
        }
    ]
    assert reflex.paths == [] and django.paths == []
    assert caplog.messages == [
        "Refused a cross-site websocket to /_event/ from Origin 'http://evil.example'."
    ]


def test_a_cross_site_upload_is_a_403(site, caplog):
    _, reflex, dispatcher = site
    scope = {**websocket("/_upload", "http://evil.example"), "type": "http", "scheme": "http"}
    sent = call(dispatcher, scope)
    assert sent == [
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        },
        {
            "type": "http.response.body",
            "body": b"Cross-site request refused: this Origin is not one of the site's own.",
        },
    ]
    assert reflex.paths == []
    assert caplog.messages == [
        "Refused a cross-site http to /_upload from Origin 'http://evil.example'."
    ]


@pytest.mark.parametrize("scope_type", ["websocket", "http"])
def test_reflex_gets_the_servers_own_receive_and_send(site, scope_type):
    _, reflex, dispatcher = site

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        pass

    scope = {**websocket("/_event/"), "type": scope_type}
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, dispatcher(scope, receive, send)).result()
    assert reflex.channels == (receive, send)


def test_stateless_reflex_endpoints_answer_any_origin(site):
    _, reflex, dispatcher = site
    call(dispatcher, {**websocket("/ping", "http://evil.example"), "type": "http"})
    assert reflex.paths == ["/ping"]


@pytest.mark.parametrize("scope_type", ["websocket", "http"])
def test_reflex_never_sees_the_cookie_header_which_stays_in_the_scope(site, scope_type):
    django, reflex, dispatcher = site
    cookies = [(b"cookie", b"sessionid=s3cret"), (b"cookie", b"csrftoken=t0ken")]
    scope = {**websocket("/_event/"), "type": scope_type}
    scope["headers"] = [*scope["headers"], *cookies]
    call(dispatcher, scope, [{"type": "websocket.connect"}])
    (seen,) = reflex.scopes
    assert seen["headers"] == [(b"host", b"shop.example")]
    assert seen[SCOPE_KEY] == "sessionid=s3cret; csrftoken=t0ken"
    assert scope["headers"][1:] == cookies  # the server's own scope is left as it was


def test_other_credentials_never_reach_reflex(site):
    _, reflex, dispatcher = site
    credentials = [
        (b"authorization", b"Bearer s3cret"),
        (b"proxy-authorization", b"Basic czNjcmV0"),
        (b"cf-access-jwt-assertion", b"eyJ.s3cret"),
        (b"x-goog-iap-jwt-assertion", b"eyJ.s3cret"),
    ]
    scope = websocket("/_event/")
    scope["headers"] = [*scope["headers"], *credentials, (b"user-agent", b"test")]
    call(dispatcher, scope, [{"type": "websocket.connect"}])
    assert reflex.scopes[0]["headers"] == [(b"host", b"shop.example"), (b"user-agent", b"test")]


def test_django_keeps_its_cookies(site):
    django, _, dispatcher = site
    scope = {"type": "http", "path": "/api/me/", "headers": [(b"cookie", b"sessionid=s3cret")]}
    call(dispatcher, scope)
    assert django.scopes == [scope]


class HoldingApp:
    """Keeps every WebSocket open until it is told to let go."""

    def __init__(self) -> None:
        self.open = 0
        self.release = asyncio.Event()

    async def __call__(self, scope, receive, send) -> None:
        self.open += 1
        await self.release.wait()


def test_one_client_cannot_hold_more_sockets_than_the_limit(caplog):
    reflex = HoldingApp()
    dispatcher = DjangoOuterDispatcher(RecordingApp(), reflex, max_sockets_per_client=3)

    def socket(client):
        scope = {"type": "websocket", "path": "/_event/", "headers": [], "client": (client, 5000)}
        sent = []

        async def receive():
            return {"type": "websocket.connect"}

        async def send(message):
            sent.append(message)

        return dispatcher(scope, receive, send), sent

    async def scenario():
        held = [asyncio.create_task(socket("10.0.0.1")[0]) for _ in range(3)]
        other = asyncio.create_task(socket("10.0.0.2")[0])
        await asyncio.sleep(0.01)
        refused, sent = socket("10.0.0.1")
        await asyncio.wait_for(refused, timeout=2)  # refused at once, never held open
        assert reflex.open == 4
        assert sent == [
            {
                "type": "websocket.close",
                "code": POLICY_VIOLATION,
                "reason": "Too many open connections from this address.",
            }
        ]
        reflex.release.set()
        await asyncio.gather(*held, other)
        assert dispatcher.open_sockets == {}  # closed sockets are no longer counted
        again, sent = socket("10.0.0.1")
        reflex.release = asyncio.Event()
        reflex.release.set()
        await again
        assert sent == [] and reflex.open == 5

    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, scenario()).result()
    assert caplog.messages == ["Refused a WebSocket from 10.0.0.1: 3 already open."]


def test_a_socket_without_a_client_address_is_counted_under_none():
    reflex = HoldingApp()
    dispatcher = DjangoOuterDispatcher(RecordingApp(), reflex, max_sockets_per_client=1)
    seen = []

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        pass

    async def scenario():
        task = asyncio.create_task(
            dispatcher({"type": "websocket", "path": "/_event/", "headers": []}, receive, send)
        )
        await asyncio.sleep(0.01)
        seen.append(dict(dispatcher.open_sockets))
        reflex.release.set()
        await task

    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, scenario()).result()
    assert seen == [{"": 1}]


def test_a_socket_that_sends_a_malformed_frame_is_closed_with_one_warning(caplog):
    class Parser:
        async def __call__(self, scope, receive, send):
            raise ValueError("invalid literal for int() with base 10: 'g'")

    dispatcher = DjangoOuterDispatcher(RecordingApp(), Parser(), max_sockets_per_client=5)
    scope = {"type": "websocket", "path": "/_event/", "headers": [], "client": ("10.0.0.9", 1)}
    assert call(dispatcher, scope, [{"type": "websocket.connect"}]) == []
    assert dispatcher.open_sockets == {}
    assert caplog.messages == [
        "Closed a WebSocket from 10.0.0.9 after a malformed frame: "
        "invalid literal for int() with base 10: 'g'"
    ]


@pytest.mark.parametrize("scope_type", ["http", "websocket"])
def test_uploads_are_refused_unless_the_project_turns_them_on(settings, scope_type):
    django, reflex = RecordingApp(), RecordingApp()
    scope = {"type": scope_type, "path": "/_upload", "headers": []}
    sent = call(DjangoOuterDispatcher(django, reflex), scope, [{"type": "websocket.connect"}])
    assert reflex.paths == [] and django.paths == []
    if scope_type == "http":
        assert sent[0]["status"] == 403
        assert (
            sent[1]["body"] == b"Uploads are turned off on this site (REFLEX_DJANGO_ALLOW_UPLOADS)."
        )
    else:
        assert sent[0]["reason"] == "Uploads are turned off."
    settings.REFLEX_DJANGO_ALLOW_UPLOADS = True
    call(DjangoOuterDispatcher(django, reflex), scope, [{"type": "websocket.connect"}])
    assert reflex.paths == ["/_upload"]
