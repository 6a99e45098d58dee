"""Throttling in Django's cache: slow down, then refuse, per identity."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from reflex_django.auth.throttle import MAX_DELAY_SECONDS, Limit, Throttle, Verdict

pytestmark = pytest.mark.django_db  # lockouts are recorded in the database


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


THROTTLE = Throttle("test", window=60)
ALICE = Limit("account:alice", lockout_after=8, delay_after=2)


def test_attempts_first_slow_down_then_refuse():
    verdicts = [THROTTLE.hit(ALICE) for _ in range(10)]
    assert [v.delay for v in verdicts[:8]] == [0, 0, 1, 2, MAX_DELAY_SECONDS, 4, 4, 4]
    assert [v.refused for v in verdicts] == [False] * 8 + [True, True]


def test_verdict_looks_without_counting():
    THROTTLE.hit(ALICE)
    THROTTLE.hit(ALICE)
    assert THROTTLE.verdict(ALICE) == THROTTLE.verdict(ALICE) == Verdict(False, 1)
    assert THROTTLE.attempts("account:alice") == 2


@pytest.mark.django_db(transaction=True)  # the threads record the lockout on their own connections
def test_parallel_attempts_cannot_all_slip_under_the_limit():
    with ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(pool.map(lambda _: THROTTLE.hit(ALICE), range(20)))
    assert sum(not v.refused for v in verdicts) == 8


def test_each_identity_has_its_own_limit_and_the_strictest_decides():
    client = Limit("client:1.2.3.4", lockout_after=3)
    verdicts = [THROTTLE.hit(ALICE, client) for _ in range(4)]
    assert verdicts == [Verdict(False), Verdict(False), Verdict(False, 1), Verdict(True)]
    # Another account from another client is not held back by either count.
    assert THROTTLE.verdict(Limit("account:bob", 8), Limit("client:5.6.7.8", 3)) == Verdict(False)


def test_identities_are_case_and_space_insensitive():
    for _ in range(8):
        THROTTLE.hit(Limit("account:Alice ", lockout_after=8))
    assert THROTTLE.verdict(ALICE).refused


def test_clear_and_forgive_take_attempts_back_but_never_below_zero():
    client = Limit("client:1.2.3.4", lockout_after=100)
    for _ in range(8):
        THROTTLE.hit(ALICE, client)
    THROTTLE.clear("account:alice")
    THROTTLE.forgive("client:1.2.3.4")
    assert THROTTLE.attempts("account:alice") == 0
    assert THROTTLE.attempts("client:1.2.3.4") == 7
    for _ in range(3):
        THROTTLE.forgive("account:alice")
    assert THROTTLE.attempts("account:alice") == 0
    THROTTLE.forgive("client:never-seen")  # nothing to take back: no error
    assert THROTTLE.attempts("client:never-seen") == 0
    once = Limit("client:once", lockout_after=100)
    THROTTLE.hit(once)
    THROTTLE.forgive("client:once")
    assert THROTTLE.attempts("client:once") == 0
    THROTTLE.forgive("client:once")  # a count of zero stays zero
    assert THROTTLE.attempts("client:once") == 0


def test_a_rate_limit_without_delay_only_refuses():
    limit = Limit("client:x", lockout_after=2)
    assert [THROTTLE.hit(limit) for _ in range(3)] == [
        Verdict(refused=False),
        Verdict(refused=False),
        Verdict(refused=True),
    ]


def test_cache_keys_are_short_and_safe_for_any_input():
    key = THROTTLE.key("account:" + "ü x" * 200)
    assert len(key) < 100 and " " not in key


def test_counts_go_to_the_configured_cache_under_the_configured_prefix(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "default",
        },
        "auth": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "auth"},
    }
    settings.REFLEX_DJANGO_CACHE_ALIAS = "auth"
    settings.REFLEX_DJANGO_CACHE_KEY_PREFIX = "myshop"
    from django.core.cache import caches

    caches["auth"].clear()  # a LocMem cache lives as long as the process
    THROTTLE.hit(ALICE)
    key = THROTTLE.key("account:alice")
    assert key.startswith("myshop.throttle.test.")
    assert caches["auth"].get(key) == 1 and caches["default"].get(key) is None


def test_a_limit_judges_the_attempts_before_this_one():
    limit = Limit("x", lockout_after=4, delay_after=2)
    assert [limit.judge(n) for n in range(6)] == [
        Verdict(refused=False, delay=0.0),
        Verdict(refused=False, delay=0.0),
        Verdict(refused=False, delay=1),
        Verdict(refused=False, delay=2),
        Verdict(refused=True, delay=0.0),
        Verdict(refused=True, delay=0.0),
    ]


def test_no_limits_means_no_objection():
    from reflex_django.auth.throttle import strictest

    assert strictest([]) == Verdict(refused=False, delay=0.0)


class RacedCache(LocMemCache):
    """A LocMem cache where a parallel attempt starts the window first.

    Between this attempt's failed ``incr()`` and its ``add()``, another
    process adds the first count, as can happen under load.
    """

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().add(key, value, timeout, version)  # the other attempt wins the add
        return super().add(key, value, timeout, version)


def test_an_attempt_that_loses_the_race_to_start_the_window_counts_second(settings):
    settings.CACHES = {
        "default": {"BACKEND": "tests.test_auth_throttle.RacedCache", "LOCATION": "raced"}
    }
    from django.core.cache import caches

    caches["default"].clear()
    limit = Limit("client:racer", lockout_after=1)
    assert THROTTLE.hit(limit) == Verdict(refused=True)  # the other attempt was the first
    assert THROTTLE.attempts("client:racer") == 2


def test_the_first_refusal_records_a_lockout_once():
    from reflex_django.models import Lockout

    limit = Limit("client:1.2.3.4", lockout_after=2)
    for _ in range(2):
        THROTTLE.hit(limit)
    assert not Lockout.objects.exists()
    before = timezone.now()
    THROTTLE.hit(limit)
    (lockout,) = Lockout.objects.all()
    assert (lockout.scope, lockout.identity) == ("test", "client:1.2.3.4")
    assert lockout.is_active
    assert timedelta(seconds=59) < lockout.expires_at - before <= timedelta(seconds=61)
    THROTTLE.hit(limit)  # refused again: the same lockout, not a new one
    assert Lockout.objects.get().locked_at == lockout.locked_at
