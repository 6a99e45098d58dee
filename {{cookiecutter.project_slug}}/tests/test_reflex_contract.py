"""Fail loudly when a Reflex upgrade changes what we rely on.

These are the only tests that import Reflex internals; the code under test
uses Reflex's public surface only.
"""

import reflex as rx
from reflex_base.constants.event import Endpoint
from reflex_base.environment import environment

from reflex_django.build import build_environment
from reflex_django.prefixes import REFLEX_PREFIXES
from reflex_django.reflex_compat import skip_frontend_compile


def test_reserved_prefixes_are_exactly_reflex_backend_endpoints():
    reflex_endpoints = {str(endpoint) for endpoint in Endpoint}
    assert set(REFLEX_PREFIXES) == reflex_endpoints, (
        "Reflex's backend endpoints changed: update REFLEX_PREFIXES in "
        "reflex_django/prefixes.py (and the routing docs)."
    )


def test_skip_frontend_compile_really_stops_the_backend_compile(monkeypatch):
    from reflex_django.reflex_app import app

    monkeypatch.delenv(environment.REFLEX_SKIP_COMPILE.name, raising=False)  # restored after
    assert app._should_compile() is True
    skip_frontend_compile()
    assert app._should_compile() is False, (
        "Reflex no longer honours the skip-compile switch: the server would "
        "recompile the frontend (and run npm) at every start. See "
        "reflex_django/reflex_compat.py."
    )


def test_an_export_never_inherits_the_skip_compile_switch(monkeypatch):
    monkeypatch.delenv(environment.REFLEX_SKIP_COMPILE.name, raising=False)  # restored after
    skip_frontend_compile()
    env = build_environment("http://localhost:8000")
    monkeypatch.setattr("os.environ", env)
    assert environment.REFLEX_SKIP_COMPILE.get() is False
    assert env["REFLEX_API_URL"] == "http://localhost:8000"


def test_an_https_origin_gives_the_event_socket_a_wss_url(monkeypatch):
    """The public origin (REFLEX_API_URL) becomes the socket's URL in the bundle.

    tests/e2e/test_proxies.py checks a real export for an http origin.
    """
    monkeypatch.delenv("REFLEX_API_URL", raising=False)
    config = rx.Config(app_name="origin_probe", api_url="https://shop.example.com")
    monkeypatch.setattr("reflex_base.config.get_config", lambda reload=False: config)
    assert Endpoint.EVENT.get_url() == "wss://shop.example.com/_event"


def test_reflex_lends_its_default_handler_for_event_errors():
    from reflex_base.event import EventSpec

    from reflex_django.reflex_compat import default_backend_exception_handler

    assert isinstance(default_backend_exception_handler(RuntimeError("boom")), EventSpec), (
        "reflex.app.default_backend_exception_handler changed: see "
        "reflex_django/reflex_compat.py and reflex_django/database_faults.py."
    )


def test_a_sockets_environ_keeps_the_scope_the_dispatcher_gave_it():
    """socket_cookies finds a socket's cookies in environ["asgi.scope"]."""
    import asyncio

    from engineio.async_drivers.asgi import translate_request

    scope = {"type": "websocket", "path": "/_event/", "query_string": b"", "headers": []}

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        pass

    environ = asyncio.run(translate_request(scope, receive, send))
    assert environ["asgi.scope"] is scope, (
        "python-engineio no longer keeps the ASGI scope in the environ: the "
        "session cookie would not reach Reflex events. See reflex_django/socket_cookies.py."
    )


def test_reflex_works_in_the_web_dir_it_is_given(monkeypatch, tmp_path):
    """export_reflex gives each static root a .web of its own (REFLEX_WEB_WORKDIR)."""
    from reflex.utils.prerequisites import get_web_dir

    monkeypatch.setenv("REFLEX_WEB_WORKDIR", str(tmp_path / "web"))
    assert get_web_dir() == tmp_path / "web", (
        "Reflex no longer reads REFLEX_WEB_WORKDIR: exports would share .web "
        "again. See reflex_django/bundle.py (export_web_dir)."
    )
