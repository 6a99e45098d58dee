"""The real server under faults: it answers clearly, keeps running, and recovers."""

import asyncio
import socket
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest
import websockets
from playwright.sync_api import Page, expect

from .conftest import asgi_server, log_in

pytestmark = pytest.mark.e2e

MESSAGE = "The database is unavailable right now. Please try again in a moment."


def test_a_locked_database_is_a_503_and_a_toast_then_everything_recovers(
    page: Page, live_server_url, server_env, user
):
    log_in(page, live_server_url + "/login", user["username"])
    page.wait_for_url(live_server_url + "/")
    expect(page.locator("#nav-user")).to_have_text(user["username"])
    expect(page.locator("#add-mug")).to_be_visible()  # the catalogue is loaded first

    # Another process holds the SQLite file's write lock, as a long migration would.
    lock = sqlite3.connect(
        server_env["DATABASE_URL"].removeprefix("sqlite:///"), isolation_level=None
    )
    lock.execute("BEGIN EXCLUSIVE")
    try:
        response = page.request.get(live_server_url + "/api/me/")
        assert (response.status, response.text()) == (503, MESSAGE)
        assert response.headers["retry-after"] == "5"
        page.click("#add-mug")  # a Reflex event: its session lookup waits, then fails
        expect(page.get_by_text(MESSAGE)).to_be_visible(timeout=20_000)
    finally:
        lock.execute("ROLLBACK")
        lock.close()

    assert page.request.get(live_server_url + "/api/me/").json() == {
        "is_authenticated": True,
        "username": user["username"],
    }
    page.click("#add-mug")
    expect(page.locator("#cart-badge")).to_contain_text("1")


def raw_request(url: str, request_line: bytes) -> bytes:
    """Send one hand-made HTTP request; return the status line (b"" if dropped)."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    return reply.split(b"\r\n", 1)[0]


@pytest.mark.parametrize(
    "request_line",
    [
        b"GET /%zz HTTP/1.1",  # invalid percent-encoding
        b"GET /%ff%fe/%c3%28 HTTP/1.1",  # percent-encoded bytes that are not UTF-8
        b"GET /\xff\xfe HTTP/1.1",  # raw bytes that are not UTF-8
        b"GET /api/%zz HTTP/1.1",  # the same under a Django prefix
        b"GET /_event/%ff HTTP/1.1",  # and under a Reflex one
    ],
)
def test_malformed_paths_get_a_clean_answer(live_server_url, request_line):
    status_line = raw_request(live_server_url, request_line)
    assert status_line == b"" or not status_line.split(b" ")[1].startswith(b"5"), status_line
    assert raw_request(live_server_url, b"GET /ping HTTP/1.1").endswith(b"200 OK")


@pytest.mark.parametrize(
    "frame",
    [
        "garbage",  # not an Engine.IO packet
        "",  # an empty one
        "4{not json",  # a message with a broken Socket.IO payload
        '40/_event,{"broken"',  # a CONNECT with broken auth
        '42/_event,["event", 1]',  # an event of the wrong shape
        '42/_event,["event", {"name": "no.such.state.handler", "payload": {}}]',
        b"\x00\xff binary",  # binary where text is expected
    ],
)
def test_a_garbage_socket_io_frame_is_dropped_and_the_next_client_is_served(live_server_url, frame):
    url = live_server_url.replace("http", "ws") + "/_event/?EIO=4&transport=websocket&token=junk"

    async def send_garbage() -> None:
        async with websockets.connect(url) as socket_:
            await socket_.recv()  # Engine.IO's open packet
            await socket_.send(frame)
            try:
                await asyncio.wait_for(socket_.recv(), timeout=2)
            except (TimeoutError, websockets.ConnectionClosed):
                pass

    with ThreadPoolExecutor(max_workers=1) as worker:  # Playwright holds this thread's loop
        worker.submit(asyncio.run, send_garbage()).result()
    assert raw_request(live_server_url, b"GET /ping HTTP/1.1").endswith(b"200 OK")


def test_a_tab_closed_in_the_middle_of_an_event_wedges_nothing(
    page: Page, context, live_server_url, user
):
    # Three failures make the next login wait a second before its password
    # check: the tab is closed during that wait, with the event in flight.
    for _ in range(3):
        log_in(page, live_server_url + "/login", user["username"], "wrong")
        expect(page.locator("#form-error")).to_be_visible()
    log_in(page, live_server_url + "/login", user["username"], "wrong")
    page.wait_for_timeout(200)
    page.close()

    other = context.new_page()
    other.goto(live_server_url + "/")
    other.click("#add-kettle")
    expect(other.locator("#cart-badge")).to_have_text("1 in cart")


#: What the aborted upload announces, and what it sends before it hangs up.
ANNOUNCED_BYTES = 8 * 1024 * 1024
SENT_BYTES = 1024 * 1024
BOUNDARY = "upload-probe"


@pytest.fixture(scope="module")
def upload_server(e2e_server, server_env):
    """The ASGI app with uploads on and a state that takes them (tests/e2e/upload_probe).

    ``e2e_server`` has migrated the database and staged the bundle.
    """
    yield from asgi_server({**server_env, "E2E_UPLOAD_PROBE": "1"}, "upload-server.log")


def upload_headers(url: str, handler: str) -> dict[str, str]:
    from .upload_probe.views import UploadProbe

    return {
        "Origin": url,  # uploads are refused from any other
        "Reflex-Client-Token": str(uuid.uuid4()),
        "Reflex-Event-Handler": f"{UploadProbe.get_full_name()}.{handler}",
    }


def start_upload_and_hang_up(url: str, headers: dict[str, str]) -> None:
    """Announce a large upload, send part of it, and close the connection."""
    part = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="files"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    end = f"\r\n--{BOUNDARY}--\r\n".encode()
    head = [
        "POST /_upload HTTP/1.1",
        "Host: " + urlsplit(url).netloc,
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
        f"Content-Length: {len(part) + ANNOUNCED_BYTES + len(end)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    address = (urlsplit(url).hostname, urlsplit(url).port)
    with socket.create_connection(address, timeout=10) as connection:
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + part)
        connection.sendall(b"\0" * SENT_BYTES)


@pytest.mark.parametrize(
    ("handler", "status"),
    [("receive", 200), ("stream", 202)],  # buffered, then streamed to a background task
)
def test_a_client_gone_in_the_middle_of_an_upload_wedges_nothing(upload_server, handler, status):
    upload_server_url = upload_server.url
    start_upload_and_hang_up(upload_server_url, upload_headers(upload_server_url, handler))

    # The next client's upload goes through whole, and other requests too.
    upload = httpx.post(
        upload_server_url + "/_upload",
        headers=upload_headers(upload_server_url, handler),
        files={"files": ("small.bin", b"x" * 12345)},
        timeout=30,
    )
    assert upload.status_code == status, upload.text
    if handler == "receive":  # its answer is the state's update
        assert '"received' in upload.text and "12345" in upload.text, upload.text
    assert httpx.get(upload_server_url + "/api/products/", timeout=30).status_code == 200
    assert "Traceback" not in upload_server.log.read_text(), upload_server.log.read_text()
