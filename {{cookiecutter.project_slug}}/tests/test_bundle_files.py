"""The bundle's files over HTTP: conditional requests, twins, caching headers.

The same rules hold whichever layer answers: the ASGI front for ``/assets/``
(``reflex_django.assets``) and the mount view for the rest (and for any
``/assets/`` request that reaches Django some other way).
"""

from __future__ import annotations

import asyncio
import gzip
import os

import brotli
import pytest

from reflex_django.assets import BundleAssets
from reflex_django.bundle_files import BundleFiles, accepted_codings, is_hashed

from .conftest import write_files

pytestmark = pytest.mark.django_db

HASHED = "assets/entry.client-BcBPaK_9.js"
CODE = b"console.log('hello, world');\n" * 50
INDEX = "<!DOCTYPE html><html><head></head><body>spa</body></html>"


@pytest.fixture
def bundle(bundle_dirs):
    """A staged bundle with a hashed script, its twins, and unhashed files."""
    return write_files(
        bundle_dirs.staged,
        {
            "index.html": INDEX,
            HASHED: CODE,
            f"{HASHED}.gz": gzip.compress(CODE),
            f"{HASHED}.br": brotli.compress(CODE),
            "assets/logo.png": b"\x89PNG not really",
            "favicon.ico": b"icon",
        },
    )


class Downstream:
    """The app behind the front: records what reached it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b"downstream"})


def call_front(front: BundleAssets, path: str, method: str = "GET", headers=None):
    """One request through the ASGI front: (status, headers, body)."""
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(front(scope, receive, send))
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


@pytest.fixture
def front():
    return BundleAssets(Downstream(), BundleFiles())


# ---------------------------------------------------------------- the view


def test_an_asset_has_an_etag_and_a_last_modified(client, bundle):
    response = client.get(f"/{HASHED}")
    assert response.status_code == 200 and response.content == CODE
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")


def test_if_none_match_with_the_etag_is_a_304_without_a_body(client, bundle):
    etag = client.get(f"/{HASHED}")["ETag"]
    response = client.get(f"/{HASHED}", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_another_etag_gets_the_file(client, bundle):
    response = client.get(f"/{HASHED}", headers={"If-None-Match": '"something-else"'})
    assert response.status_code == 200 and response.content == CODE


def test_if_modified_since_is_a_304_unless_the_file_is_newer(client, bundle):
    last_modified = client.get("/favicon.ico")["Last-Modified"]
    assert client.get("/favicon.ico", headers={"If-Modified-Since": last_modified}).status_code == (
        304
    )
    older = "Mon, 01 Jan 2001 00:00:00 GMT"
    response = client.get("/favicon.ico", headers={"If-Modified-Since": older})
    assert response.status_code == 200 and response.content == b"icon"


@pytest.mark.parametrize(
    ("accept_encoding", "encoding"),
    [("gzip", "gzip"), ("gzip, deflate, br", "br"), ("br;q=0, gzip", "gzip"), ("", None)],
)
def test_the_smallest_accepted_twin_is_sent_with_vary(client, bundle, accept_encoding, encoding):
    response = client.get(f"/{HASHED}", headers={"Accept-Encoding": accept_encoding})
    assert response.get("Content-Encoding") == encoding
    assert response["Vary"] == "Accept-Encoding"
    assert response["Content-Type"].startswith("text/javascript")
    decode = {"gzip": gzip.decompress, "br": brotli.decompress, None: bytes}[encoding]
    assert decode(response.content) == CODE
    assert int(response["Content-Length"]) == len(response.content)


def test_a_file_without_twins_does_not_vary(client, bundle):
    response = client.get("/favicon.ico", headers={"Accept-Encoding": "gzip, br"})
    assert "Vary" not in response and "Content-Encoding" not in response


def test_hashed_names_are_immutable_others_are_revalidated(client, bundle):
    assert client.get(f"/{HASHED}")["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/assets/logo.png")["Cache-Control"] == "no-cache"
    assert client.get("/favicon.ico")["Cache-Control"] == "no-cache"


def test_head_sends_the_length_and_no_body(client, bundle):
    response = client.head(f"/{HASHED}")
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(len(CODE))


def test_a_rebuilt_file_gets_a_new_etag(client, bundle):
    first = client.get("/favicon.ico")
    (bundle / "favicon.ico").write_bytes(b"a new icon")
    index = bundle / "index.html"
    stat = index.stat()
    os.utime(index, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a new build
    second = client.get("/favicon.ico")
    assert second.content == b"a new icon"
    assert second["ETag"] != first["ETag"]


# ---------------------------------------------------------------- the ASGI front


def test_the_front_answers_assets_without_asking_django(front, bundle):
    status, headers, body = call_front(front, f"/{HASHED}", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and gzip.decompress(body) == CODE
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["x-content-type-options"] == "nosniff"
    assert front.app.paths == []


def test_the_front_answers_conditional_requests_with_a_304(front, bundle):
    _, headers, _ = call_front(front, f"/{HASHED}")
    status, _, body = call_front(front, f"/{HASHED}", headers={"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")
    since = {"If-Modified-Since": headers["last-modified"]}
    assert call_front(front, f"/{HASHED}", headers=since)[0] == 304


def test_the_front_sends_the_same_headers_as_the_view(front, client, bundle):
    _, asgi, _ = call_front(front, f"/{HASHED}", headers={"Accept-Encoding": "br"})
    view = client.get(f"/{HASHED}", headers={"Accept-Encoding": "br"})
    for name in ("etag", "last-modified", "cache-control", "content-type", "content-encoding"):
        assert asgi[name] == view[name], name


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/assets/missing-BcBPaK_9.js"),
        ("POST", f"/{HASHED}"),
        ("GET", "/assets/../index.html"),
        ("GET", "/assets/.hidden.js"),
        ("GET", "/favicon.ico"),  # not under /assets/: the mount view's
        ("GET", "/index.html"),
    ],
)
def test_anything_else_goes_on_to_django(front, bundle, method, path):
    write_files(bundle, {"assets/.hidden.js": "secret()"})
    status, _, body = call_front(front, path, method=method)
    assert (status, body) == (418, b"downstream")
    assert front.app.paths == [path]


def test_without_a_bundle_everything_goes_on_to_django(front, bundle_dirs):
    assert call_front(front, f"/{HASHED}")[0] == 418


def test_a_file_deleted_after_it_was_found_goes_on_to_django(front, bundle):
    assert call_front(front, f"/{HASHED}")[0] == 200
    for name in (HASHED, f"{HASHED}.gz", f"{HASHED}.br"):
        (bundle / name).unlink()
    assert call_front(front, f"/{HASHED}")[0] == 418


def test_websockets_and_other_scopes_pass_through(front, bundle):
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    front = BundleAssets(app, BundleFiles())
    asyncio.run(front({"type": "websocket", "path": f"/{HASHED}"}, None, None))
    assert seen == ["websocket"]


# ---------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("name", "hashed"),
    [
        ("assets/entry.client-BcBPaK_9.js", True),
        ("assets/manifest-1ed47b4c.js", True),
        ("assets/__reflex_global_styles-NccINl-w.css", True),
        ("assets/app-BcBPaK_9.js.map", True),
        ("assets/logo.png", False),
        ("assets/a-1.js", False),  # too short to be a content hash
        ("entry.client-BcBPaK_9.js", False),  # not under assets/
        ("assets/sub/x-BcBPaK_9.js", True),
    ],
)
def test_which_names_are_hashed(name, hashed):
    assert is_hashed(name) is hashed


@pytest.mark.parametrize(
    ("header", "codings"),
    [
        ("gzip", "gzip"),
        ("gzip, deflate, br", "br, gzip"),
        ("br;q=1.0, GZIP;q=0.5", "br, gzip"),
        ("*", "br, gzip"),
        ("", ""),
        ("gzip;q=0", ""),
        ("*;q=0", ""),
        ("gzip;q=0, *", "br"),
        ("*;q=0, gzip;q=0.1", "gzip"),
        ("gzip;q=nonsense", ""),
        ("x-gzip", "gzip"),
        ("notgzip", ""),
        ("identity", ""),
    ],
)
def test_accept_encoding_is_read_with_its_qualities(header, codings):
    assert accepted_codings(header) == codings


def test_the_view_says_404_for_a_file_deleted_after_it_was_found(client, bundle):
    assert client.get("/favicon.ico").status_code == 200
    (bundle / "favicon.ico").unlink()
    assert client.get("/favicon.ico").status_code == 404
