"""The account operations behind the auth pages, against a real database."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend

from reflex_django.auth import accounts, tickets
from reflex_django.auth.accounts import INVALID_RESET_LINK, LOCKED_OUT, safe_next_path
from reflex_django.auth.request import build_request
from reflex_django.threads import wait_for_background

from .conftest import sent_mail

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
WRONG = "Please enter a correct username and password."


@pytest.fixture(autouse=True)
def site(settings):
    cache.clear()
    settings.ALLOWED_HOSTS = ["shop.example"]


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", "alice@example.com", PASSWORD)


def event_request(ip="10.0.0.1", url="http://shop.example/login"):
    return build_request({"host": "shop.example"}, ip, url)


def limit_logins(settings, delay_after, lockout_after):
    settings.REFLEX_DJANGO_AUTH = {
        "LOGIN_FAILURES_BEFORE_DELAY": delay_after,
        "LOGIN_FAILURES_BEFORE_LOCKOUT": lockout_after,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/cart", "/cart"),
        ("/products/mug?x=1#top", "/products/mug?x=1#top"),
        (None, "/home"),
        ("", "/home"),
        ("https://evil.example/", "/home"),
        ("//evil.example", "/home"),
        ("/\\evil.example", "/home"),
        ("javascript:alert(1)", "/home"),
        ("cart", "/home"),
    ],
)
def test_next_only_accepts_paths_on_this_site(value, expected):
    assert safe_next_path(value, "/home") == expected


def test_the_right_password_gets_a_ticket_for_that_user(alice):
    outcome = accounts.log_in(event_request(), "alice", PASSWORD, "/cart")
    assert outcome.ok
    grant = tickets.redeem(outcome.ticket)
    assert grant.user == alice and grant.next_path == "/cart"
    assert grant.backend == "django.contrib.auth.backends.ModelBackend"


def test_a_ticket_is_redeemed_once(alice):
    ticket = accounts.log_in(event_request(), "alice", PASSWORD, None).ticket
    assert tickets.redeem(ticket) is not None
    assert tickets.redeem(ticket) is None
    assert tickets.redeem("made-up") is None


def test_a_ticket_of_a_since_deactivated_user_is_refused(alice):
    ticket = accounts.log_in(event_request(), "alice", PASSWORD, None).ticket
    alice.is_active = False
    alice.save()
    assert tickets.redeem(ticket) is None


def test_a_ticket_issued_before_a_password_change_is_refused(alice):
    outcome = accounts.log_in(event_request(), "alice", PASSWORD, None)
    alice.set_password("a brand new passphrase")
    alice.save()
    assert tickets.redeem(outcome.ticket) is None


def test_an_unsafe_next_falls_back_to_the_login_redirect(alice, settings):
    settings.REFLEX_DJANGO_AUTH = {"LOGIN_REDIRECT": "/welcome"}
    ticket = accounts.log_in(event_request(), "alice", PASSWORD, "https://evil.example").ticket
    assert tickets.redeem(ticket).next_path == "/welcome"


def test_wrong_password_unknown_and_inactive_accounts_look_the_same(alice):
    get_user_model().objects.create_user("bob", "bob@example.com", PASSWORD, is_active=False)
    answers = [
        accounts.log_in(event_request(), "alice", "wrong", None),
        accounts.log_in(event_request(), "nobody", PASSWORD, None),
        accounts.log_in(event_request(), "bob", PASSWORD, None),
    ]
    assert answers == [accounts.Outcome(error=WRONG)] * 3


def test_repeated_failures_lock_the_pair_even_for_the_right_password(alice, settings):
    limit_logins(settings, delay_after=1, lockout_after=3)
    for _ in range(3):
        assert accounts.log_in(event_request(), "alice", "wrong", None).error == WRONG
    assert accounts.login_delay(event_request(), "alice") == 0  # locked, not slowed
    assert accounts.log_in(event_request(), "alice", PASSWORD, None).error == LOCKED_OUT


def test_failures_from_elsewhere_cannot_lock_the_owner_out(alice, settings):
    """The lockout-button attack: ten wrong passwords for alice from one client."""
    limit_logins(settings, delay_after=1, lockout_after=3)
    for _ in range(10):
        accounts.log_in(event_request("10.6.6.6"), "alice", "wrong", None)
    assert accounts.login_delay(event_request("10.0.0.1"), "alice") == 0
    assert accounts.log_in(event_request("10.0.0.1"), "alice", PASSWORD, None).ok


@pytest.mark.parametrize(
    ("address", "client"),
    [
        ("10.0.0.1", "10.0.0.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("", ""),
        ("not-an-ip", "not-an-ip"),
    ],
)
def test_an_ipv6_client_counts_as_its_64_network(address, client):
    from reflex_django.auth.backends import client_of

    assert client_of(event_request(address)) == client


def test_rotating_ipv6_addresses_in_one_network_gains_nothing(alice, settings):
    limit_logins(settings, delay_after=1, lockout_after=2)
    for host in range(1, 4):
        accounts.log_in(event_request(f"2001:db8::{host}"), "alice", "wrong", None)
    assert (
        accounts.log_in(event_request("2001:db8::99"), "alice", PASSWORD, None).error == LOCKED_OUT
    )


def test_one_client_is_capped_across_accounts(alice, settings):
    settings.REFLEX_DJANGO_AUTH = {
        "LOGIN_FAILURES_BEFORE_DELAY": 1,
        "LOGIN_FAILURES_BEFORE_LOCKOUT": 2,
        "CLIENT_FAILURES_BEFORE_LOCKOUT": 4,
    }
    for name in ("bob", "carol", "dave", "erin"):  # one failure each: no pair is locked
        assert accounts.log_in(event_request(), name, "wrong", None).error == WRONG
    assert accounts.log_in(event_request(), "alice", PASSWORD, None).error == LOCKED_OUT
    assert accounts.log_in(event_request("10.0.0.2"), "alice", PASSWORD, None).ok


def test_failures_slow_down_before_they_lock(alice, settings):
    limit_logins(settings, delay_after=2, lockout_after=5)
    delays = []
    for _ in range(4):
        delays.append(accounts.login_delay(event_request(), "alice"))
        accounts.log_in(event_request(), "alice", "wrong", None)
    assert delays == [0, 0, 1, 2]


def test_successful_logins_do_not_count_against_the_client(alice, settings):
    settings.REFLEX_DJANGO_AUTH = {
        "LOGIN_FAILURES_BEFORE_DELAY": 1,
        "LOGIN_FAILURES_BEFORE_LOCKOUT": 2,
        "CLIENT_FAILURES_BEFORE_LOCKOUT": 2,
    }
    for _ in range(3):
        assert accounts.log_in(event_request(), "alice", PASSWORD, None).ok
    assert accounts.login_delay(event_request(), "someone-else") == 0
    assert accounts.log_in(event_request(), "bob", "wrong", None).error == WRONG


def test_an_unknown_account_is_locked_out_like_a_real_one(settings):
    limit_logins(settings, delay_after=1, lockout_after=2)
    for _ in range(2):
        accounts.log_in(event_request(), "ghost", "x", None)
    assert accounts.log_in(event_request(), "ghost", "x", None).error == LOCKED_OUT


def admin_login(client, password, ip):
    data = {"username": "alice", "password": password}
    return client.post("/admin/login/", data, REMOTE_ADDR=ip, HTTP_HOST="shop.example")


def test_the_admin_login_shares_the_throttle(alice, client, settings):
    """Any authenticate() is counted: the admin is no side door."""
    limit_logins(settings, delay_after=1, lockout_after=3)
    alice.is_staff = True
    alice.save()
    for _ in range(3):  # through the Reflex login page...
        accounts.log_in(event_request("127.0.0.1"), "alice", "wrong", None)
    # ...then the admin's own form, from the same client, with the right password.
    response = admin_login(client, PASSWORD, "127.0.0.1")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = admin_login(client, PASSWORD, "10.0.0.7")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(alice.pk)


def test_admin_failures_count_for_the_reflex_login_too(alice, client, settings):
    limit_logins(settings, delay_after=1, lockout_after=3)
    for _ in range(3):
        admin_login(client, "wrong", "10.0.0.1")
    assert accounts.log_in(event_request("10.0.0.1"), "alice", PASSWORD, None).error == LOCKED_OUT


def test_a_successful_admin_login_takes_its_attempt_back(alice, client, settings):
    limit_logins(settings, delay_after=1, lockout_after=2)
    alice.is_staff = True
    alice.save()
    accounts.log_in(event_request("10.0.0.1"), "alice", "wrong", None)
    assert admin_login(client, PASSWORD, "10.0.0.1").status_code == 302
    client.logout()
    accounts.log_in(event_request("10.0.0.1"), "alice", "wrong", None)
    assert accounts.log_in(event_request("10.0.0.1"), "alice", PASSWORD, None).ok


@pytest.mark.parametrize("login", ["alice@example.com", "nobody@example.com"])
def test_by_email_a_real_address_is_slowed_down_like_an_unknown_one(alice, settings, login):
    """The delay must not tell which addresses have accounts."""
    settings.REFLEX_DJANGO_AUTH = {"LOGIN_FIELD": "email", "LOGIN_FAILURES_BEFORE_DELAY": 2}
    delays = []
    for _ in range(4):
        delays.append(accounts.login_delay(event_request(), login))
        accounts.log_in(event_request(), login, "wrong", None)
    assert delays == [0, 0, 1, 2]


def test_login_by_email_ignores_case(alice, settings):
    settings.REFLEX_DJANGO_AUTH = {"LOGIN_FIELD": "email"}
    outcome = accounts.log_in(event_request(), "Alice@Example.com", PASSWORD, None)
    assert tickets.redeem(outcome.ticket).user == alice
    assert accounts.log_in(event_request(), "alice", PASSWORD, None).error == (
        "Please enter a correct email address and password."
    )


def registration(**overrides):
    return {
        "username": "carol",
        "email": "carol@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def test_registration_creates_the_user_and_logs_it_in():
    outcome = accounts.register(event_request(), registration(), "/cart")
    user = get_user_model().objects.get(username="carol")
    assert user.email == "carol@example.com" and user.check_password(PASSWORD)
    grant = tickets.redeem(outcome.ticket)
    assert grant.user == user and grant.next_path == "/cart"


def test_registration_errors_name_their_fields(alice):
    outcome = accounts.register(
        event_request(),
        registration(
            username="ALICE", email="Alice@example.com", password1="1234", password2="1234"
        ),
        None,
    )
    assert not outcome.ok and not outcome.ticket
    errors = outcome.field_errors
    assert errors["username"] == ["A user with that username already exists."]
    assert errors["email"] == ["A user with that email address already exists."]
    assert any("too short" in e for e in errors["password2"])
    assert any("too common" in e for e in errors["password2"])
    assert get_user_model().objects.count() == 1


def test_mismatched_passwords_are_a_field_error():
    outcome = accounts.register(event_request(), registration(password2="something else"), None)
    assert outcome.field_errors == {"password2": ["The two password fields didn’t match."]}


def test_registration_is_rate_limited_per_client(settings):
    settings.REFLEX_DJANGO_AUTH = {"REGISTRATIONS_BEFORE_LOCKOUT": 2}
    assert accounts.register(
        event_request(), registration(username="bob", email="b@example.com"), None
    ).ok
    taken = accounts.register(
        event_request(), registration(username="bob", email="c@example.com"), None
    )
    assert "username" in taken.field_errors  # an invalid attempt counts too
    probe = accounts.register(
        event_request(), registration(username="bob", email="d@example.com"), None
    )
    assert probe == accounts.Outcome(error=LOCKED_OUT)  # no word on whether "bob" exists
    assert accounts.register(event_request("10.0.0.2"), registration(), None).ok


def reset_link() -> tuple[str, str, str]:
    (message,) = sent_mail()
    url = re.search(r"https?://\S+", message.body).group(0)
    path, uid, token = re.fullmatch(
        r"https?://[^/]+(/[^?]+)\?uid=([^&]+)&token=(\S+)", url
    ).groups()
    return path, uid, token


def test_a_reset_link_is_emailed_and_opens_the_confirm_page(alice):
    assert accounts.request_password_reset(event_request(), "ALICE@example.com").ok
    (message,) = sent_mail()
    assert message.to == ["alice@example.com"]
    assert "http://shop.example/password_reset_confirm?uid=" in message.body
    path, uid, token = reset_link()
    assert path == "/password_reset_confirm"
    assert accounts.reset_link_user(uid, token) == alice


def test_the_reset_email_is_ours_and_names_the_site(alice, settings):
    settings.REFLEX_DJANGO_AUTH = {"BRAND": "Tea Room"}
    accounts.request_password_reset(event_request(), "alice@example.com")
    (message,) = sent_mail()
    assert message.subject == "Reset your password for Tea Room"
    assert message.body.startswith(
        "Someone asked to reset the password of the account alice at Tea Room.\n"
    )


def test_reset_requests_are_counted_for_lockout_seconds_only(alice, settings):
    settings.REFLEX_DJANGO_AUTH = {"PASSWORD_RESETS_BEFORE_LOCKOUT": 1, "LOCKOUT_SECONDS": 1}
    assert accounts.request_password_reset(event_request(), "alice@example.com").ok
    assert accounts.request_password_reset(event_request(), "alice@example.com").error == LOCKED_OUT
    time.sleep(1.1)
    assert accounts.request_password_reset(event_request(), "alice@example.com").ok


def test_an_outcome_holds_plain_text_that_reflex_state_can_take():
    outcome = accounts.Outcome(error=LOCKED_OUT)
    assert type(outcome.error) is str and outcome.error == str(LOCKED_OUT)


def test_form_wide_errors_become_the_pages_error():
    from django import forms

    class Form(forms.Form):
        name = forms.CharField()

        def clean(self):
            self.add_error(None, "Nothing works today.")
            raise forms.ValidationError("Try again tomorrow.")

    form = Form({"name": ""})
    form.is_valid()
    assert accounts.Outcome.from_form(form) == accounts.Outcome(
        error="Nothing works today. Try again tomorrow.",
        field_errors={"name": ["This field is required."]},
    )


class HeldBackend(BaseEmailBackend):
    """An email backend that cannot send until the test lets it."""

    release = threading.Event()
    sent: list = []

    def send_messages(self, messages):
        assert self.release.wait(timeout=10), "the test never released the mail"
        self.sent.extend(messages)
        return len(messages)


@pytest.mark.django_db(transaction=True)  # the page's thread must see alice
def test_the_reset_email_is_sent_off_the_request_path(alice, settings):
    """So an address with an account is answered as fast as one without."""
    settings.EMAIL_BACKEND = "tests.test_auth_accounts.HeldBackend"
    HeldBackend.release.clear()
    HeldBackend.sent = []
    try:
        with ThreadPoolExecutor(max_workers=1) as page:
            answer = page.submit(
                accounts.request_password_reset, event_request(), "alice@example.com"
            )
            assert answer.result(timeout=5) == accounts.Outcome()  # while the mail is held
        assert HeldBackend.sent == []
    finally:
        HeldBackend.release.set()
    wait_for_background(timeout=10)
    assert [message.to for message in HeldBackend.sent] == [["alice@example.com"]]


def test_the_link_uses_https_when_the_page_does(alice):
    accounts.request_password_reset(
        event_request(url="https://shop.example/x"), "alice@example.com"
    )
    assert "https://shop.example/password_reset_confirm" in sent_mail()[0].body


def test_an_unknown_email_gets_the_same_answer_and_no_mail():
    assert (
        accounts.request_password_reset(event_request(), "nobody@example.com") == accounts.Outcome()
    )
    assert sent_mail() == []


def test_a_malformed_email_is_a_field_error():
    outcome = accounts.request_password_reset(event_request(), "not-an-email")
    assert "email" in outcome.field_errors


def test_reset_requests_are_rate_limited(alice, settings):
    settings.REFLEX_DJANGO_AUTH = {"PASSWORD_RESETS_BEFORE_LOCKOUT": 2}
    for ip in ("10.0.0.1", "10.0.0.2"):
        assert accounts.request_password_reset(event_request(ip), "alice@example.com").ok
    assert (
        accounts.request_password_reset(event_request("10.0.0.3"), "alice@example.com").error
        == LOCKED_OUT
    )
    assert len(sent_mail()) == 2


def test_a_reset_sets_the_password_once(alice):
    accounts.request_password_reset(event_request(), "alice@example.com")
    _, uid, token = reset_link()
    new = {"new_password1": "a brand new secret", "new_password2": "a brand new secret"}
    assert accounts.reset_password(uid, token, new).ok
    alice.refresh_from_db()
    assert alice.check_password("a brand new secret")
    assert accounts.reset_password(uid, token, new).error == INVALID_RESET_LINK


def test_a_weak_new_password_is_a_field_error_and_keeps_the_old_one(alice):
    accounts.request_password_reset(event_request(), "alice@example.com")
    _, uid, token = reset_link()
    outcome = accounts.reset_password(
        uid, token, {"new_password1": "alice", "new_password2": "alice"}
    )
    assert "new_password2" in outcome.field_errors
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("uid", "token"), [("", ""), ("MQ", "bad-token"), ("!!", "x"), ("OTk5", "x")]
)
def test_invalid_links_find_no_user(alice, uid, token):
    assert accounts.reset_link_user(uid, token) is None
    assert accounts.reset_password(uid, token, {}).error == INVALID_RESET_LINK
