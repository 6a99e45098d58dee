"""SpaDocumentMiddleware: a returning visitor's document, answered early, and the same.

Every test compares two answers to the same request from the same browser
state: through ``MIDDLEWARE`` as configured, and through the same list
without ``SpaDocumentMiddleware``, where the whole chain, URL resolution
and the mount view answer. They must agree on the status, the bytes, every
header and every cookie. And the tests check which of the two actually
answered, by counting the mount view's calls.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from reflex_django import views
from reflex_django.middleware import NAME, SpaDocumentMiddleware
from reflex_django.visitors import SESSION_KEY

from .conftest import html, write_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(routed_bundle):
    return write_files(routed_bundle, {"app.js": "console.log(1)"})


@pytest.fixture
def view_calls(monkeypatch) -> list[str]:
    """The paths the mount view answered."""
    calls: list[str] = []
    real = views.ReflexMountView.get

    def get(self, request):
        calls.append(request.path_info)
        return real(self, request)

    monkeypatch.setattr(views.ReflexMountView, "get", get)
    return calls


def returning_browser() -> dict[str, str]:
    """The cookies of a browser that has loaded one page: a session and a CSRF secret."""
    first = Client().get("/")
    return {name: morsel.value for name, morsel in first.cookies.items()}


def answer(cookies: dict[str, str], path: str = "/", *, fast: bool, **extra) -> HttpResponse:
    """One request from a browser holding ``cookies``, with or without the middleware."""
    middleware = list(django_settings.MIDDLEWARE)
    if not fast:
        middleware.remove(NAME)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(django_settings, "MIDDLEWARE", middleware)
        client = Client(**extra)
        client.cookies.load(cookies)
        method = extra.pop("method", "get")
        return getattr(client, method)(path)


def comparable(response: HttpResponse) -> tuple:
    """What the browser gets, less what differs by the clock and by chance.

    ``Expires`` (of the answer and of its cookies) is a time to the second;
    a new session key or CSRF secret is random, so only the cookie's name and
    its other attributes are compared.
    """
    headers = {k.lower(): v for k, v in response.items() if k.lower() != "expires"}
    cookies = {
        name: {key: value for key, value in morsel.items() if value and key != "expires"}
        for name, morsel in response.cookies.items()
    }
    return response.status_code, response.content, headers, cookies, "Expires" in response


def test_a_returning_visitor_gets_the_chains_answer_without_the_chain(bundle, view_calls):
    cookies = returning_browser()
    view_calls.clear()
    for path in ("/", "/about", "/products/mug"):
        fast = answer(cookies, path, fast=True)
        assert view_calls == [], path  # answered before the mount view
        slow = answer(cookies, path, fast=False)
        assert view_calls == [path]
        view_calls.clear()
        assert comparable(fast) == comparable(slow)
        assert fast.status_code == 200
        assert fast["Vary"] == "Cookie" and fast["X-Frame-Options"] == "DENY"
        assert "no-cache" in fast["Cache-Control"]
    assert answer(cookies, "/", fast=True).content == html("index").encode()
    assert answer(cookies, "/about", fast=True).content == html("about").encode()


def session_with(cookies: dict[str, str], **data) -> dict[str, str]:
    store = SessionStore(cookies["sessionid"])
    for key, value in data.items():
        if value is None:
            store.pop(key, None)
        else:
            store[key] = value
    store.save()
    return cookies


def messages_cookie(rf) -> str:
    storage = CookieStorage(rf.get("/"))
    storage.add(constants.SUCCESS, "Order 12 placed")
    redirect = HttpResponse()
    storage.update(redirect)
    return redirect.cookies["messages"].value


SESSION_MESSAGES = json.dumps([["__json_message", 0, constants.INFO, "In the session"]])


def without_visitor(cookies: dict[str, str]) -> dict[str, str]:
    return session_with(cookies, **{SESSION_KEY: None})


def with_session_messages(cookies: dict[str, str]) -> dict[str, str]:
    return session_with(cookies, _messages=SESSION_MESSAGES)


@pytest.mark.parametrize(
    ("case", "path", "change"),
    [
        ("a first visit", "/", lambda c, rf: {}),
        ("no CSRF cookie", "/", lambda c, rf: {"sessionid": c["sessionid"]}),
        ("a masked CSRF token as cookie", "/", lambda c, rf: {**c, "csrftoken": "a" * 64}),
        ("a malformed CSRF cookie", "/", lambda c, rf: {**c, "csrftoken": "not a secret"}),
        ("an unknown session", "/", lambda c, rf: {**c, "sessionid": "x" * 32}),
        ("a session without a visitor id", "/", lambda c, rf: without_visitor(c)),
        ("messages in a cookie", "/", lambda c, rf: {**c, "messages": messages_cookie(rf)}),
        ("messages in the session", "/", lambda c, rf: with_session_messages(c)),
        ("a path that is no route", "/nope", lambda c, rf: c),
        ("a file of the bundle", "/app.js", lambda c, rf: c),
        ("a missing file", "/missing.js", lambda c, rf: c),
        ("a Django prefix", "/api/nope", lambda c, rf: c),
        ("a Django route", "/api/products/", lambda c, rf: c),
    ],
)
def test_any_other_request_goes_through_the_chain(bundle, view_calls, rf, case, path, change):
    answers, viewed = [], []
    for fast in (True, False):
        # Each answer gets a browser of its own: the first may change the session.
        cookies = change(returning_browser(), rf)
        view_calls.clear()
        answers.append(comparable(answer(cookies, path, fast=fast)))
        viewed.append(list(view_calls))
    assert answers[0] == answers[1], case
    # Both came from the same place: the mount view, or a Django view.
    assert viewed[0] == viewed[1], case


@pytest.mark.parametrize("path", ["/api/nope", "/static/nope", "/media/nope"])
def test_a_django_prefix_is_djangos_even_where_every_path_is_a_route(bundle, view_calls, path):
    (bundle / ".reflex-routes.json").unlink()  # a bundle that does not list its routes
    cookies = returning_browser()
    fast = answer(cookies, path, fast=True)
    assert fast.status_code == 404
    assert comparable(fast) == comparable(answer(cookies, path, fast=False))


def test_a_post_goes_through_the_chain(bundle, view_calls):
    cookies = returning_browser()
    fast = answer(cookies, "/", fast=True, method="post")
    slow = answer(cookies, "/", fast=False, method="post")
    assert fast.status_code == slow.status_code == 405  # the mount view's refusal
    assert comparable(fast) == comparable(slow)


def test_a_head_request_gets_the_same_answer(bundle, view_calls):
    cookies = returning_browser()
    view_calls.clear()
    fast = answer(cookies, "/", fast=True, method="head")
    assert view_calls == []
    assert comparable(fast) == comparable(answer(cookies, "/", fast=False, method="head"))


def test_a_foreign_host_is_still_refused(bundle, view_calls):
    cookies = returning_browser()
    fast = answer(cookies, "/", fast=True, HTTP_HOST="evil.example")
    slow = answer(cookies, "/", fast=False, HTTP_HOST="evil.example")
    assert fast.status_code == slow.status_code == 400


def test_a_document_with_template_tags_of_its_own_is_rendered_by_the_view(
    bundle, view_calls, django_user_model
):
    write_files(bundle, {"index.html": html("{{ request.path }} {{ user.is_authenticated }}")})
    cookies = returning_browser()
    view_calls.clear()
    fast = answer(cookies, "/", fast=True)
    assert view_calls == ["/"]
    assert fast.content == html("/ False").encode()


def test_a_head_template_of_the_projects_own_is_rendered_by_the_view(
    bundle, view_calls, settings, tmp_path
):
    write_files(tmp_path / "templates", {"reflex_django/spa_head.html": "<meta name=me>"})
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]}]
    cookies = returning_browser()
    view_calls.clear()
    fast = answer(cookies, "/", fast=True)
    assert view_calls == ["/"]
    assert fast.content == html("index").replace("</head>", "<meta name=me></head>").encode()


def test_a_rebuilt_document_is_answered_at_once(bundle, view_calls):
    cookies = returning_browser()
    assert answer(cookies, "/", fast=True).content == html("index").encode()
    write_files(bundle, {"index.html": html("rebuilt")})
    view_calls.clear()
    assert answer(cookies, "/", fast=True).content == html("rebuilt").encode()
    assert view_calls == []


def test_settings_that_shape_the_answer_are_followed(bundle, view_calls, settings):
    settings.X_FRAME_OPTIONS = "sameorigin"
    settings.REFLEX_DJANGO_RENDER_SPA_VIA_TEMPLATE_ENGINE = False
    write_files(bundle, {"index.html": html("{{ not rendered }}")})
    cookies = returning_browser()
    view_calls.clear()
    fast = answer(cookies, "/", fast=True)
    assert view_calls == []
    assert fast["X-Frame-Options"] == "SAMEORIGIN"
    assert comparable(fast) == comparable(answer(cookies, "/", fast=False))


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    csrf=st.sampled_from(["kept", "missing", "masked", "bad"]),
    session=st.sampled_from(["kept", "missing", "unknown", "no visitor", "messages"]),
    messages_cookie=st.booleans(),
    path=st.sampled_from(["/", "/about", "/products/x", "/nope", "/app.js", "/api/x", "/about/"]),
)
def test_the_early_answer_never_differs_from_the_chains(
    bundle, rf, csrf, session, messages_cookie, path
):
    def browser() -> dict[str, str]:
        cookies = returning_browser()
        if csrf != "kept":
            cookies["csrftoken"] = {"missing": "", "masked": "b" * 64, "bad": "??"}[csrf]
        if session == "missing":
            cookies["sessionid"] = ""
        elif session == "unknown":
            cookies["sessionid"] = "y" * 32
        elif session == "no visitor":
            without_visitor(cookies)
        elif session == "messages":
            with_session_messages(cookies)
        if messages_cookie:
            cookies["messages"] = globals()["messages_cookie"](rf)
        return {name: value for name, value in cookies.items() if value}

    fast = answer(browser(), path, fast=True)
    assert comparable(fast) == comparable(answer(browser(), path, fast=False))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda s: s.MIDDLEWARE.append("django.middleware.locale.LocaleMiddleware"), "Locale"),
        (lambda s: s.MIDDLEWARE.remove(
            "django.contrib.sessions.middleware.SessionMiddleware"), "SessionMiddleware"),
        (lambda s: setattr(s, "SESSION_SAVE_EVERY_REQUEST", True), "SESSION_SAVE_EVERY_REQUEST"),
        (lambda s: setattr(s, "CSRF_USE_SESSIONS", True), "CSRF_USE_SESSIONS"),
        (lambda s: setattr(s, "PREPEND_WWW", True), "PREPEND_WWW"),
        (lambda s: setattr(s, "MESSAGE_STORAGE", "my.Storage"), "MESSAGE_STORAGE"),
    ],
)  # fmt: skip
def test_it_steps_aside_when_the_chain_may_do_more(settings, change, reason):
    settings.MIDDLEWARE = list(settings.MIDDLEWARE)
    change(settings)
    with pytest.raises(MiddlewareNotUsed, match=reason):
        SpaDocumentMiddleware(lambda request: HttpResponse())


def test_it_steps_aside_in_development_mode(monkeypatch):
    monkeypatch.setenv("REFLEX_DJANGO_DEV_FRONTEND_URL", "http://127.0.0.1:3000")
    with pytest.raises(MiddlewareNotUsed, match="development mode"):
        SpaDocumentMiddleware(lambda request: HttpResponse())


def test_the_project_lists_it_right_after_the_static_files():
    middleware = django_settings.MIDDLEWARE
    assert middleware.index(NAME) < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    assert middleware.index(NAME) > middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    SpaDocumentMiddleware(lambda request: HttpResponse())  # and it is used


class ProjectDocuments(SpaDocumentMiddleware):
    """A project's own subclass, listed under its own path."""


def test_a_subclass_listed_in_its_place_answers_too(bundle, view_calls, settings):
    mine = f"{__name__}.ProjectDocuments"
    settings.MIDDLEWARE = [mine if name == NAME else name for name in settings.MIDDLEWARE]
    cookies = returning_browser()
    view_calls.clear()
    client = Client()
    client.cookies.load(cookies)
    assert client.get("/").content == html("index").encode()
    assert view_calls == []


def test_listed_nowhere_it_steps_aside(settings):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != NAME]
    with pytest.raises(MiddlewareNotUsed, match="SecurityMiddleware"):
        SpaDocumentMiddleware(lambda request: HttpResponse())
