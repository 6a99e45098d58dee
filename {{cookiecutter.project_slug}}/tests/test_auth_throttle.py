"""Throttling in Django's cache: slow down, then refuse, per identity."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from reflex_django.auth.throttle import MAX_DELAY_SECONDS, Limit, Throttle, Verdict


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

    THROTTLE.hit(ALICE)
    key = THROTTLE.key("account:alice")
    assert key.startswith("myshop.throttle.test.")
    assert caches["auth"].get(key) == 1 and caches["default"].get(key) is None
