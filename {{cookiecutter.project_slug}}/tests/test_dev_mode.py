"""Development mode's pieces, without Vite: the front's routing and forwarding,
the watched directories, the mount view fed by a dev server, and run_reflex's
choice of mode (tests/e2e/test_dev_loop.py runs the real thing)."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from reflex_django import dev_documents
from reflex_django.dev_documents import DEV_SERVER_ENV, Fetched
from reflex_django.dev_proxy import (
    DevFront,
    UpstreamProxy,
    asks_for_vite,
    forwarded_headers,
    is_vite_path,
)
from reflex_django.dev_server import free_port, watched_dirs
from reflex_django.management.commands import run_reflex

from .conftest import write_files


@pytest.mark.parametrize(
    ("path", "vite"),
    [
        ("/@vite/client", True),
        ("/@id/__x00__virtual:react-router/browser-manifest", True),
        ("/@fs/srv/app/.web/app/root.jsx", True),
        ("/@react-router/critical.css", True),
        ("/node_modules/.vite/deps/react.js", True),
        ("/", False),
        ("/app/root.jsx", False),  # could be an SPA route: the catch-all decides
        ("/products/@home", False),
        ("/admin/", False),
        ("/_event/", False),
        ("/node_modules", False),
    ],
)
def test_only_vites_own_namespaces_skip_the_backend(path, vite):
    assert is_vite_path(path) is vite


@pytest.mark.parametrize(
    ("subprotocols", "vite"),
    [(["vite-hmr"], True), (["vite-ping"], True), ([], False), (["graphql-ws"], False)],
)
def test_only_vites_sockets_go_to_vite(subprotocols, vite):
    scope = {"type": "websocket", "path": "/", "subprotocols": subprotocols}
    assert asks_for_vite(scope) is vite


def test_forwarded_headers_name_the_real_client_and_drop_hop_by_hop_ones():
    scope = {
        "type": "http",
        "scheme": "http",
        "client": ("192.0.2.7", 5000),
        "headers": [
            (b"host", b"localhost:8000"),
            (b"cookie", b"sessionid=abc"),
            (b"x-forwarded-for", b"203.0.113.1"),  # a client's claim: dropped
            (b"connection", b"keep-alive"),
        ],
    }
    headers = forwarded_headers(scope)
    assert ("host", "localhost:8000") in headers
    assert ("cookie", "sessionid=abc") in headers
    assert [v for k, v in headers if k == "x-forwarded-for"] == ["192.0.2.7"]
    assert not [k for k, _ in headers if k == "connection"]


class Recorder:
    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.paths.append(scope["path"])


def test_the_front_sends_vites_requests_to_vite_and_the_rest_to_the_backend():
    front = DevFront("http://127.0.0.1:1", "http://127.0.0.1:2")
    front.backend, front.vite = Recorder(), Recorder()

    async def run() -> None:
        for scope in (
            {"type": "http", "path": "/@vite/client"},
            {"type": "http", "path": "/products/mug"},
            {"type": "websocket", "path": "/", "subprotocols": ["vite-hmr"]},
            {"type": "websocket", "path": "/_event/", "subprotocols": []},
        ):
            await front(scope, None, None)

    asyncio.run(run())
    assert front.vite.paths == ["/@vite/client", "/"]
    assert front.backend.paths == ["/products/mug", "/_event/"]


class EchoHeaders(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"{self.path}|{self.headers['Host']}|{self.headers['X-Forwarded-For']}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def late_upstream() -> Iterator[tuple[int, threading.Event]]:
    """A port where an HTTP server starts listening only when told to (a restart)."""
    port = free_port()
    go = threading.Event()
    servers: list[http.server.HTTPServer] = []

    def serve() -> None:
        go.wait()
        server = http.server.HTTPServer(("127.0.0.1", port), EchoHeaders)
        servers.append(server)
        server.serve_forever()

    threading.Thread(target=serve, daemon=True).start()
    yield port, go
    go.set()
    for server in servers:
        server.shutdown()


def test_a_request_waits_for_a_restarting_backend_and_keeps_its_host(late_upstream):
    port, go = late_upstream
    proxy = UpstreamProxy(f"http://127.0.0.1:{port}", wait_for_upstream=30)
    sent: list[dict] = []
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": "/shop/x",
        "raw_path": b"/shop/x",
        "query_string": b"a=1",
        "client": ("192.0.2.7", 5000),
        "headers": [(b"host", b"localhost:8000")],
    }

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    async def run() -> None:
        asyncio.get_running_loop().call_later(0.5, go.set)  # the backend comes back
        await proxy(scope, receive, send)
        await proxy.aclose()

    asyncio.run(run())
    assert sent[0]["status"] == 200
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert body == b"/shop/x?a=1|localhost:8000|192.0.2.7"


class SetsCookies(http.server.BaseHTTPRequestHandler):
    """Sets a session cookie on every answer, whose body is the Cookie it was sent."""

    def do_GET(self) -> None:
        body = (self.headers["Cookie"] or "no cookie").encode()
        self.send_response(200)
        self.send_header("Set-Cookie", "sessionid=first-browsers; Path=/; HttpOnly")
        self.send_header("Set-Cookie", "csrftoken=first-browsers; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_one_browsers_cookies_never_go_out_with_anothers_requests():
    server = http.server.HTTPServer(("127.0.0.1", 0), SetsCookies)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    proxy = UpstreamProxy(f"http://127.0.0.1:{server.server_port}")

    async def get(cookie: bytes | None) -> list[dict]:
        sent: list[dict] = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b""}

        async def send(message: dict) -> None:
            sent.append(message)

        headers = [(b"cookie", cookie)] if cookie else []
        scope = {"type": "http", "method": "GET", "path": "/", "headers": headers}
        await proxy(scope, receive, send)
        return sent

    async def run() -> tuple[list[dict], list[dict], list[dict]]:
        try:
            return await get(None), await get(None), await get(b"sessionid=mine")
        finally:
            await proxy.aclose()

    try:
        first, second, third = asyncio.run(run())
    finally:
        server.shutdown()
    for answer in (first, second):
        # Each new browser gets its own cookies, and is sent with none.
        assert answer[1]["body"] == b"no cookie"
        set_cookies = [v for k, v in answer[0]["headers"] if k == b"set-cookie"]
        assert len(set_cookies) == 2
    assert third[1]["body"] == b"sessionid=mine"


def test_an_absent_backend_is_a_502_that_says_so():
    proxy = UpstreamProxy(f"http://127.0.0.1:{free_port()}", wait_for_upstream=0)
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    asyncio.run(proxy(scope, receive, send))
    assert sent[0]["status"] == 502
    assert b"No answer from the development server" in sent[1]["body"]


def test_only_the_projects_code_is_watched(tmp_path):
    base = write_files(
        tmp_path,
        {
            "shop/views.py": "",
            "config/settings/base.py": "",
            "deploy/nginx.conf": "",
            "tests/test_x.py": "",
            ".web/app/x.py": "",
            "venv/pyvenv.cfg": "",
            "venv/lib/site.py": "",
            "staticfiles/x.py": "",
            "manage.py": "",
        },
    )
    assert watched_dirs(base, [base / "staticfiles"]) == [base / "config", base / "shop"]


# The mount view behind the front: Vite's answers instead of the bundle's files.

VITE_DOCUMENT = (
    "<!DOCTYPE html><html><head></head><body><script>if (a) {{ b }}</script></body></html>"
)


@pytest.fixture
def vite(monkeypatch) -> list[str]:
    """A stand-in Vite: HTML for pages, JavaScript for modules; records each path."""
    asked: list[str] = []
    monkeypatch.setenv(DEV_SERVER_ENV, "http://127.0.0.1:1")

    def fetch(vite_url: str, request) -> Fetched:
        asked.append(request.get_full_path())
        if request.path.endswith(".jsx"):
            return Fetched(200, [("content-type", "text/javascript")], b"export default 1;")
        return Fetched(200, [("content-type", "text/html")], VITE_DOCUMENT.encode())

    monkeypatch.setattr(dev_documents, "fetch", fetch)
    return asked


@pytest.mark.django_db
def test_a_document_from_vite_is_decorated_like_the_bundles(client, vite, bundle_dirs):
    response = client.get("/")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    assert "if (a) {{ b }}" in html  # scripts untouched by the template engine
    assert vite == ["/"]


@pytest.mark.django_db
def test_a_path_no_page_declares_gets_vites_document_with_a_404(client, vite, bundle_dirs):
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/products/mug").status_code == 200


@pytest.mark.django_db
def test_modules_pass_through_and_django_routes_stay_djangos(client, vite, bundle_dirs):
    response = client.get("/app/routes/_index.jsx?t=1")
    assert response.content == b"export default 1;"
    assert response["Content-Type"] == "text/javascript"
    assert client.get("/api/no-such-endpoint").status_code == 404
    assert vite == ["/app/routes/_index.jsx?t=1"]


# run_reflex: the mode, and the migrations notice.


@pytest.fixture
def served(monkeypatch) -> list[str]:
    """Which way run_reflex served, without serving."""
    modes: list[str] = []
    monkeypatch.setattr(
        run_reflex.Command, "serve_development", lambda self, *a: modes.append("development")
    )
    monkeypatch.setattr(
        run_reflex.Command, "serve_production", lambda self, *a: modes.append("production")
    )
    monkeypatch.chdir(Path.cwd())  # run_reflex changes into BASE_DIR
    return modes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("debug", "args", "mode"),
    [
        (True, [], "development"),
        (True, ["--prod"], "production"),
        (False, [], "production"),
    ],
)
def test_debug_means_development_unless_prod_is_asked_for(served, settings, debug, args, mode):
    settings.DEBUG = debug
    call_command("run_reflex", *args, skip_checks=True)
    assert served == [mode]


@pytest.mark.django_db
def test_unapplied_migrations_are_reported_at_start_up(served, monkeypatch, capsys):
    from django.db.migrations.executor import MigrationExecutor

    class Pending:
        app_label = "shop"

    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [(Pending, False)]
    )
    call_command("run_reflex", skip_checks=True)
    out = capsys.readouterr().out
    assert "You have 1 unapplied migration(s)" in out
    assert "shop" in out
    assert "python manage.py migrate" in out


def test_a_websocket_is_bridged_with_its_host_subprotocol_and_frames():
    """What the HMR socket and Reflex's /_event both rely on through the front."""
    from websockets.asyncio.server import serve

    seen: dict[str, str | None] = {}

    async def upstream_handler(connection) -> None:
        seen["host"] = connection.request.headers["Host"]
        seen["origin"] = connection.request.headers.get("Origin")
        seen["user-agent"] = ", ".join(connection.request.headers.get_all("User-Agent"))
        async for frame in connection:
            await connection.send(f"echo {frame}")

    async def run() -> list[dict]:
        to_front: asyncio.Queue[dict] = asyncio.Queue()
        from_front: list[dict] = []

        async def send(message: dict) -> None:
            from_front.append(message)
            if message["type"] == "websocket.send":
                await to_front.put({"type": "websocket.disconnect", "code": 1000})

        async with serve(upstream_handler, "127.0.0.1", 0, subprotocols=["vite-hmr"]) as server:
            port = server.sockets[0].getsockname()[1]
            proxy = UpstreamProxy(f"http://127.0.0.1:{port}")
            scope = {
                "type": "websocket",
                "path": "/",
                "query_string": b"token=t",
                "subprotocols": ["vite-hmr"],
                "headers": [
                    (b"host", b"localhost:8000"),
                    (b"origin", b"http://localhost:8000"),
                    (b"user-agent", b"browser"),
                ],
            }
            await to_front.put({"type": "websocket.connect"})
            await to_front.put({"type": "websocket.receive", "text": "hello"})
            await asyncio.wait_for(proxy(scope, to_front.get, send), timeout=30)
            await proxy.aclose()
        return from_front

    messages = asyncio.run(run())
    assert messages[0] == {"type": "websocket.accept", "subprotocol": "vite-hmr"}
    assert {"type": "websocket.send", "text": "echo hello"} in messages
    assert seen == {
        "host": "localhost:8000",
        "origin": "http://localhost:8000",
        "user-agent": "browser",
    }
