"""Slow down, then refuse, repeated attempts: counted in Django's cache.

An attempt is counted under several identities at once (say, the account
and client pair, and the client alone), each with a :class:`Limit` of its
own; the strictest verdict wins. Identities are counted whether or not an
account exists, so the answers never reveal which accounts do.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cache import auth_cache, cache_key
from .lockouts import record_lockout

#: The longest pause before an attempt is even checked. Short enough that the
#: event handler finishes well inside Reflex's state-lock expiry (10 s).
MAX_DELAY_SECONDS = 4


@dataclass(frozen=True)
class Verdict:
    """What to do with the next attempt."""

    refused: bool
    delay: float = 0.0


@dataclass(frozen=True)
class Limit:
    """How many attempts one identity gets per window.

    Past ``delay_after`` attempts every later one waits (1, 2, 4 seconds);
    past ``lockout_after`` they are refused until the window ends.
    """

    identity: str
    lockout_after: int
    delay_after: int | None = None

    def judge(self, attempts_before: int) -> Verdict:
        if attempts_before >= self.lockout_after:
            return Verdict(refused=True)
        if self.delay_after is not None and attempts_before >= self.delay_after:
            return Verdict(False, min(2 ** (attempts_before - self.delay_after), MAX_DELAY_SECONDS))
        return Verdict(refused=False)


def strictest(verdicts: list[Verdict]) -> Verdict:
    if any(v.refused for v in verdicts):
        return Verdict(refused=True)
    return Verdict(refused=False, delay=max((v.delay for v in verdicts), default=0.0))


@dataclass(frozen=True)
class Throttle:
    """Attempt counters per identity, each expiring ``window`` seconds after it starts."""

    scope: str
    window: int

    def key(self, identity: str) -> str:
        # Mutation testing: folding to upper case instead would do as well.
        return cache_key(f"throttle.{self.scope}", identity.strip().lower())  # pragma: no mutate

    def attempts(self, identity: str) -> int:
        return auth_cache().get(self.key(identity), 0)

    def verdict(self, *limits: Limit) -> Verdict:
        """The verdict on the next attempt, without counting it."""
        return strictest([limit.judge(self.attempts(limit.identity)) for limit in limits])

    def hit(self, *limits: Limit) -> Verdict:
        """Count this attempt for each identity first, then judge it by the ones before.

        Counting before checking the password means parallel attempts cannot
        all slip in under the limit: each one gets its own count from
        ``incr()``, which is atomic on Redis, Memcached and LocMem caches.
        """
        verdicts = []
        for limit in limits:
            attempts_before = self.increment(self.key(limit.identity)) - 1
            if attempts_before == limit.lockout_after:  # the first refused attempt
                record_lockout(self.scope, limit.identity, self.window)
            verdicts.append(limit.judge(attempts_before))
        return strictest(verdicts)

    def increment(self, key: str) -> int:
        """This attempt's number in the current window (1 starts a new window)."""
        cache = auth_cache()
        try:
            # Mutation testing: a wrong key here fails over to the branch below,
            # which counts right (one round trip later), so the key is not pinned.
            return cache.incr(key)  # pragma: no mutate
        except ValueError:  # no count yet, or it has just expired
            if cache.add(key, 1, self.window):
                return 1
            return cache.incr(key)  # a parallel attempt started the window first

    def forgive(self, identity: str) -> None:
        """Take back one attempt that turned out to be legitimate.

        Never below zero: repeated good logins must not buy a client credit
        for bad ones.
        """
        key, cache = self.key(identity), auth_cache()
        # Mutation testing: the default is free, since decr() of a missing key
        # raises ValueError, which is caught below.
        if cache.get(key, 0) > 0:  # pragma: no mutate
            try:
                cache.decr(key)
            except ValueError:  # the window ended in between
                pass

    def clear(self, *identities: str) -> None:
        auth_cache().delete_many([self.key(i) for i in identities])
