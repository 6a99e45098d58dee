"""Login throttling in Django's cache: slow down, then refuse, per identity."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from reflex_django.auth.throttle import MAX_DELAY_SECONDS, Throttle, Verdict


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


THROTTLE = Throttle("test", lockout_after=8, window=60, delay_after=2)


def test_attempts_first_slow_down_then_refuse():
    verdicts = [THROTTLE.hit("account:alice", "client:1.2.3.4") for _ in range(10)]
    assert [v.delay for v in verdicts[:8]] == [0, 0, 1, 2, MAX_DELAY_SECONDS, 4, 4, 4]
    assert [v.refused for v in verdicts] == [False] * 8 + [True, True]


def test_verdict_looks_without_counting():
    THROTTLE.hit("account:alice")
    THROTTLE.hit("account:alice")
    assert THROTTLE.verdict("account:alice") == THROTTLE.verdict("account:alice") == Verdict(False, 1)


def test_parallel_attempts_cannot_all_slip_under_the_limit():
    with ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(pool.map(lambda _: THROTTLE.hit("account:alice"), range(20)))
    assert sum(not v.refused for v in verdicts) == 8


def test_the_worst_identity_decides():
    for _ in range(8):
        THROTTLE.hit("client:1.2.3.4")
    assert THROTTLE.verdict("account:bob", "client:1.2.3.4").refused
    assert THROTTLE.verdict("account:bob", "client:5.6.7.8") == Verdict(refused=False)


def test_identities_are_case_and_space_insensitive():
    for _ in range(8):
        THROTTLE.hit("account:Alice ")
    assert THROTTLE.verdict("account:alice").refused


def test_clear_and_forgive_take_attempts_back():
    for _ in range(8):
        THROTTLE.hit("account:alice", "client:1.2.3.4")
    THROTTLE.clear("account:alice")
    THROTTLE.forgive("client:1.2.3.4")
    assert THROTTLE.failures("account:alice") == 0
    assert THROTTLE.failures("client:1.2.3.4") == 7
    THROTTLE.forgive("client:never-seen")  # nothing to take back: no error


def test_a_rate_limit_without_delay_only_refuses():
    limit = Throttle("rate", lockout_after=2, window=60)
    assert [limit.hit("client:x") for _ in range(3)] == [
        Verdict(refused=False),
        Verdict(refused=False),
        Verdict(refused=True),
    ]


def test_cache_keys_are_short_and_safe_for_any_input():
    key = THROTTLE.key("account:" + "ü x" * 200)
    assert len(key) < 100 and " " not in key
