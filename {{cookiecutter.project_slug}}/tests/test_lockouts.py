"""Lockouts: listed in the admin, lifted there or with manage.py reset_throttle."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command

from reflex_django.auth import accounts
from reflex_django.auth.request import build_request
from reflex_django.models import Lockout

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def locked_out(settings):
    """alice, locked out from 10.0.0.1 after two wrong passwords."""
    cache.clear()
    settings.REFLEX_DJANGO_AUTH = {
        "LOGIN_FAILURES_BEFORE_DELAY": 1,
        "LOGIN_FAILURES_BEFORE_LOCKOUT": 2,
    }
    get_user_model().objects.create_user("alice", "alice@example.com", PASSWORD)
    for _ in range(3):
        accounts.log_in(event_request(), "alice", "wrong", None)


def event_request(ip="10.0.0.1"):
    return build_request({"host": "testserver"}, ip, "http://testserver/login")


@pytest.fixture
def admin(client, admin_user):
    """A staff session. ``force_login`` needs the backend named: the first one,
    ThrottleBackend, only counts attempts and loads nobody (as with django-axes)."""
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def alice_can_log_in() -> bool:
    return accounts.log_in(event_request(), "alice", PASSWORD, None).ok


def test_a_lockout_is_recorded_and_shown_in_the_admin(admin):
    assert list(Lockout.objects.values_list("scope", "identity")) == [
        ("login", "pair:alice|10.0.0.1")
    ]
    page = admin.get("/admin/reflex_django/lockout/").content.decode()
    assert "pair:alice|10.0.0.1" in page and "Lift the selected lockouts" in page


def test_the_admin_lifts_a_lockout(admin):
    assert not alice_can_log_in()
    (lockout,) = Lockout.objects.all()
    response = admin.post(
        "/admin/reflex_django/lockout/",
        {"action": "lift", "_selected_action": [lockout.pk]},
        follow=True,
    )
    assert "Lifted 1 lockout." in response.content.decode()
    assert not Lockout.objects.exists()
    assert alice_can_log_in()


def test_the_command_lists_then_lifts_by_identity(capsys):
    call_command("reset_throttle")
    assert capsys.readouterr().out.startswith("login\tpair:alice|10.0.0.1\tactive until ")
    call_command("reset_throttle", "pair:alice|10.0.0.1")
    assert capsys.readouterr().out == "Lifted 1 lockout.\n"
    assert alice_can_log_in()


def test_the_command_lifts_everything(capsys):
    call_command("reset_throttle", "--all")
    assert capsys.readouterr().out == "Lifted 1 lockout.\n"
    assert not Lockout.objects.exists() and alice_can_log_in()


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["pair:bob|10.0.0.1"], "No lockout of pair:bob|10.0.0.1: see `manage.py reset_throttle`."),
        (["--all", "pair:alice|10.0.0.1"], "Name identities, or --all, not both."),
    ],
)
def test_the_command_explains_what_it_cannot_do(args, error):
    with pytest.raises(CommandError) as raised:
        call_command("reset_throttle", *args)
    assert str(raised.value) == error
    assert Lockout.objects.count() == 1
