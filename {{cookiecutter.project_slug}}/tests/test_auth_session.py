"""One Django session for Django views and Reflex events: the login hand-off
view, the request each event gets, and logout."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.middleware.csrf import CSRF_SESSION_KEY
from django.test import Client

from reflex_django.auth import accounts, tickets
from reflex_django.auth.request import build_request
from reflex_django.auth.state import csrf_secret
from reflex_django.auth.views import EXPIRED_TICKET

from .conftest import write_files

pytestmark = pytest.mark.django_db

URL = "/accounts/session/"


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", "alice@example.com", "pw")


@pytest.fixture
def visitor(bundle_dirs):
    """A client that, like a browser, must send the CSRF token the SPA gave it."""
    write_files(bundle_dirs.build, {"index.html": "<html><body>SPA</body></html>"})
    client = Client(enforce_csrf_checks=True)
    assert client.get("/").status_code == 200
    return client


def ticket_for(user, next_path="/cart", browser=None):
    """A ticket, as the login page would get it for ``browser`` (a test client)."""
    user.backend = "django.contrib.auth.backends.ModelBackend"
    return tickets.issue(user, next_path, browser.cookies["csrftoken"].value if browser else "")


def post_ticket(client, ticket, csrf=True):
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value} if csrf else {}
    return client.post(URL, {"ticket": ticket}, headers=headers)


def test_the_spa_document_sets_the_csrf_cookie(visitor):
    assert "csrftoken" in visitor.cookies


def test_a_ticket_becomes_an_httponly_session_that_django_views_see(visitor, alice):
    response = post_ticket(visitor, ticket_for(alice, browser=visitor))
    assert response.status_code == 200 and response.json() == {"next": "/cart"}
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie.value
    assert visitor.get("/api/me/").json() == {"is_authenticated": True, "username": "alice"}


def test_login_rotates_a_session_key_that_existed_before(visitor, alice):
    session = visitor.session
    session["cart"] = "teapot"
    session.save()
    before = session.session_key
    visitor.cookies["sessionid"] = before
    post_ticket(visitor, ticket_for(alice, browser=visitor))
    assert visitor.cookies["sessionid"].value != before
    assert not Session.objects.filter(session_key=before).exists()


def test_without_the_csrf_token_the_post_is_refused(visitor, alice):
    assert post_ticket(visitor, ticket_for(alice, browser=visitor), csrf=False).status_code == 403
    assert visitor.get("/api/me/").json()["is_authenticated"] is False


def test_an_unknown_or_reused_ticket_is_a_clear_400(visitor, alice):
    ticket = ticket_for(alice, browser=visitor)
    post_ticket(visitor, ticket)
    for bad in (ticket, "made-up", ""):
        response = post_ticket(visitor, bad)
        assert response.status_code == 400 and response.json() == {"error": EXPIRED_TICKET}


def test_a_ticket_works_only_in_the_browser_that_logged_in(visitor, alice, bundle_dirs):
    """A ticket seen by someone else (a stolen tab token, say) is useless to them."""
    thief = Client(enforce_csrf_checks=True)
    assert thief.get("/").status_code == 200  # its own CSRF cookie, as any browser gets
    ticket = ticket_for(alice, browser=visitor)
    response = post_ticket(thief, ticket)
    assert response.status_code == 400 and "_auth_user_id" not in thief.session
    assert post_ticket(visitor, ticket).status_code == 400  # and it was used up


def test_only_post_is_allowed(visitor):
    assert visitor.get(URL).status_code == 405


def event_request_for(client):
    """What a Reflex event of this visitor gets: its cookies, via the handshake."""
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    return build_request(
        {"host": "testserver", "cookie": cookie}, "10.0.0.1", "https://testserver/cart?x=1"
    )


def test_an_event_request_carries_the_session_user_and_page(visitor, alice):
    post_ticket(visitor, ticket_for(alice, browser=visitor))
    request = event_request_for(visitor)
    assert request.user == alice
    assert request.session.session_key == visitor.cookies["sessionid"].value
    assert (request.path, request.is_secure(), request.get_host()) == ("/cart", True, "testserver")
    assert request.META["REMOTE_ADDR"] == "10.0.0.1"
    assert request.method == "POST"  # an event acts: code that skips safe methods must not


@pytest.mark.parametrize(
    ("cookie", "secret"),
    [
        ("a" * 32, "a" * 32),
        ("Ab1" * 21 + "x", "Ab1" * 21 + "x"),  # a masked token, 64 characters
        ("a" * 31, ""),
        ("a" * 33, ""),
        ('";alert(1);"' + "a" * 20, ""),  # it goes into a script: nothing else passes
        ("", ""),
    ],
)
def test_only_a_well_formed_csrf_secret_reaches_the_page(cookie, secret):
    request = build_request({"cookie": f"csrftoken={cookie}"}, "10.0.0.1", "http://testserver/")
    assert csrf_secret(request) == secret


def test_with_csrf_in_the_session_the_secret_comes_from_there(visitor, settings):
    settings.CSRF_USE_SESSIONS = True
    request = event_request_for(visitor)
    request.session[CSRF_SESSION_KEY] = "b" * 32
    assert csrf_secret(request) == "b" * 32


def test_an_event_without_a_session_is_anonymous():
    request = build_request({"host": "testserver"}, "10.0.0.1", "http://testserver/")
    assert not request.user.is_authenticated and not request.is_secure()


def test_logout_ends_the_session_for_every_tab_and_for_django(visitor, alice):
    post_ticket(visitor, ticket_for(alice, browser=visitor))
    key = visitor.cookies["sessionid"].value
    other_tab = event_request_for(visitor)
    assert other_tab.user == alice

    accounts.log_out(event_request_for(visitor))

    assert not Session.objects.filter(session_key=key).exists()
    assert not event_request_for(visitor).user.is_authenticated  # the next event of any tab
    assert visitor.get("/api/me/").json()["is_authenticated"] is False


def test_a_password_change_ends_other_sessions(visitor, alice):
    post_ticket(visitor, ticket_for(alice, browser=visitor))
    alice.set_password("new password")
    alice.save()
    assert not event_request_for(visitor).user.is_authenticated
