"""Passwords and login tickets never appear in Django's error reports."""

import sys

import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter
from django.views.decorators.debug import sensitive_variables

from reflex_django.auth import accounts, tickets, views
from reflex_django.auth.request import build_request

SECRET = "s3cret-never-in-reports"


def report(request=None) -> str:
    """Django's error report for the exception being handled, local variables
    included, as DEBUG pages and admin emails show it."""
    return ExceptionReporter(request, *sys.exc_info()).get_traceback_html()


@sensitive_variables()  # as Django's own authenticate() hides its credentials
def boom(*args, **kwargs):
    raise RuntimeError("the database went away")


@pytest.mark.parametrize(
    ("patch", "call"),
    [
        ("authenticate", lambda request: accounts.log_in(request, "alice", SECRET, None)),
        (
            "RegistrationForm",
            lambda request: accounts.register(request, {"password1": SECRET}, None),
        ),
        (
            "reset_link_user",
            lambda request: accounts.reset_password("uid", SECRET, {"new_password1": SECRET}),
        ),
    ],
    ids=["log_in", "register", "reset_password"],
)
def test_account_operations_hide_passwords(monkeypatch, patch, call):
    monkeypatch.setattr(accounts, patch, boom)
    request = build_request({"host": "testserver"}, "10.0.0.1", "http://testserver/login")
    try:
        call(request)
    except RuntimeError:
        text = report()
    assert "the database went away" in text and SECRET not in text


def test_the_session_view_hides_the_ticket(monkeypatch):
    monkeypatch.setattr(tickets, "redeem", boom)
    request = RequestFactory().post("/accounts/session/", {"ticket": SECRET})
    request._dont_enforce_csrf_checks = True
    try:
        views.session_login(request)
    except RuntimeError:
        text = report(request)
    assert "the database went away" in text and "ticket" in text and SECRET not in text
