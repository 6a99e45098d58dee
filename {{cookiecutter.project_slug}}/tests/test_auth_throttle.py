"""Login throttling in Django's cache: slow down, then refuse, per identity."""

import pytest
from django.core.cache import cache

from reflex_django.auth.throttle import MAX_DELAY_SECONDS, Throttle, Verdict


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


THROTTLE = Throttle("test", lockout_after=8, window=60, delay_after=2)


def test_failures_first_slow_down_then_refuse():
    verdicts = []
    for _ in range(9):
        verdicts.append(THROTTLE.verdict("account:alice", "client:1.2.3.4"))
        THROTTLE.record("account:alice", "client:1.2.3.4")
    assert [v.delay for v in verdicts[:8]] == [0, 0, 1, 2, 4, MAX_DELAY_SECONDS, MAX_DELAY_SECONDS, 8]
    assert [v.refused for v in verdicts] == [False] * 8 + [True]


def test_the_worst_identity_decides():
    for _ in range(8):
        THROTTLE.record("client:1.2.3.4")
    assert THROTTLE.verdict("account:bob", "client:1.2.3.4").refused
    assert THROTTLE.verdict("account:bob", "client:5.6.7.8") == Verdict(refused=False)


def test_identities_are_case_and_space_insensitive():
    for _ in range(8):
        THROTTLE.record("account:Alice ")
    assert THROTTLE.verdict("account:alice").refused


def test_clearing_one_identity_leaves_the_others():
    for _ in range(8):
        THROTTLE.record("account:alice", "client:1.2.3.4")
    THROTTLE.clear("account:alice")
    assert not THROTTLE.verdict("account:alice").refused
    assert THROTTLE.verdict("client:1.2.3.4").refused


def test_a_rate_limit_without_delay_only_refuses():
    limit = Throttle("rate", lockout_after=2, window=60)
    limit.record("client:x")
    assert limit.verdict("client:x") == Verdict(refused=False)
    limit.record("client:x")
    assert limit.verdict("client:x").refused


def test_cache_keys_are_short_and_safe_for_any_input():
    key = THROTTLE.key("account:" + "ü x" * 200)
    assert len(key) < 100 and " " not in key
