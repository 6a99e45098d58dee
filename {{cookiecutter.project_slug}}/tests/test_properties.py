"""Properties that must hold for any input, not just the ones in the tables.

Hypothesis generates the paths, ``next`` values and origins, biased towards
the characters that have broken such code elsewhere: dots, slashes,
backslashes, percent signs, NUL, tabs and look-alike prefixes.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflex_django.auth.accounts import safe_next_path
from reflex_django.bundle import file_in_bundle
from reflex_django.django_outer_dispatcher import DjangoOuterDispatcher
from reflex_django.origins import OriginPolicy
from reflex_django.prefixes import REFLEX_PREFIXES, owning_prefix

TRICKY = st.sampled_from(
    ["/", "//", ".", "..", "\\", "%2e", "%2f", "%00", "\x00", "\t", "\n", "~", ":", "@", "?", "#"]
)
SEGMENT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)
PIECE = st.one_of(TRICKY, SEGMENT, st.sampled_from([p.lstrip("/") for p in REFLEX_PREFIXES]))
PATHS = st.lists(PIECE, max_size=8).map(lambda pieces: "/" + "".join(pieces))


class Recorder:
    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.paths.append(scope["path"])


def dispatch(dispatcher, scope) -> None:
    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        pass

    asyncio.run(dispatcher(scope, receive, send))


@pytest.fixture(scope="module")
def worker():
    """A thread of its own: Playwright's sync API may hold the main thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=PATHS, scope_type=st.sampled_from(["http", "websocket"]))
def test_every_path_has_exactly_one_owner(worker, path, scope_type):
    django, reflex = Recorder(), Recorder()
    dispatcher = DjangoOuterDispatcher(
        django, reflex, origin_policy=OriginPolicy(("*",), ()), allow_uploads=True
    )
    scope = {"type": scope_type, "path": path, "headers": []}
    worker.submit(dispatch, dispatcher, scope).result()
    reserved = owning_prefix(path, REFLEX_PREFIXES) is not None
    assert reflex.paths == ([path] if reserved else [])
    # Django takes every other HTTP request and never a WebSocket.
    assert django.paths == ([path] if not reserved and scope_type == "http" else [])


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "secret.txt").write_text("outside")
    bundle = root / "bundle"
    (bundle / "assets").mkdir(parents=True)
    (bundle / "index.html").write_text("index")
    (bundle / ".stamp.json").write_text("hidden")
    (bundle / "assets" / "app-1.js").write_text("js")
    (bundle / "assets" / "escape.txt").symlink_to(root / "secret.txt")
    return bundle


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(relative=st.lists(PIECE, max_size=8).map("".join))
def test_no_path_resolves_to_a_file_outside_the_bundle_or_a_hidden_one(bundle, relative):
    found = file_in_bundle(bundle, relative)
    if found is not None:
        assert found.is_file()
        assert found.is_relative_to(bundle.resolve())
        assert not any(part.startswith(".") for part in found.relative_to(bundle.resolve()).parts)


def as_a_browser_reads_it(url: str) -> tuple[str, str]:
    """The scheme and host a browser would navigate to for ``Location: url``.

    Browsers drop tabs and newlines and read backslashes as slashes.
    """
    cleaned = url.strip().replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    parts = urlsplit(cleaned)
    return parts.scheme, parts.netloc


NEXT_VALUES = st.one_of(
    st.lists(
        st.one_of(TRICKY, SEGMENT, st.sampled_from(["http", "evil.example", "javascript"]))
    ).map("".join),
    st.text(max_size=30),
)


@settings(max_examples=500, deadline=None)
@given(value=NEXT_VALUES)
def test_no_next_value_leaves_the_site(value):
    result = safe_next_path(value, "/home")
    assert result == "/home" or result == value
    assert result.startswith("/")
    assert as_a_browser_reads_it(result) == ("", "")


SITE = OriginPolicy(allowed_hosts=("shop.example",), trusted_origins=("https://app.example",))
ORIGINS = st.one_of(
    st.builds(
        lambda scheme, host, port: f"{scheme}://{host}{port}",
        st.sampled_from(["http", "https", "ws", "HTTP", ""]),
        st.sampled_from(
            [
                "shop.example",
                "app.example",
                "evil.example",
                "shop.example.evil",
                "SHOP.example",
                "eu.shop.example",
                "shop.example@evil.example",
                "",
            ]
        ),
        st.sampled_from(["", ":80", ":8000", ":443", "/", ":"]),
    ),
    st.text(max_size=40),
)


@settings(max_examples=500, deadline=None)
@given(origin=ORIGINS)
def test_no_origin_but_the_sites_own_or_a_trusted_one_passes(origin):
    scope = {
        "type": "websocket",
        "scheme": "ws",
        "headers": [(b"host", b"shop.example"), (b"origin", origin.encode("utf-8"))],
    }
    if SITE.allows(scope):
        assert origin in ("http://shop.example", "https://app.example")
