"""Slow down, then refuse, repeated failures: counted in Django's cache.

Each attempt is counted under several identities at once (the account typed
and the client's IP), and the worst count decides. Counting the account
name whether or not it exists keeps the answers the same for both, so the
throttle never reveals which accounts exist.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

#: The longest pause before an attempt is even checked. Short enough that the
#: event handler finishes well inside Reflex's state-lock expiry (10 s).
MAX_DELAY_SECONDS = 4


@dataclass(frozen=True)
class Verdict:
    """What to do with the next attempt."""

    refused: bool
    delay: float = 0.0


@dataclass(frozen=True)
class Throttle:
    """An attempt counter per identity, which expires ``window`` seconds after it starts.

    ``delay_after`` attempts make every later one wait (1, 2, 4 seconds);
    ``lockout_after`` attempts refuse the later ones until the window ends.
    Successful logins are taken back out of the count.
    """

    scope: str
    lockout_after: int
    window: int
    delay_after: int | None = None

    def key(self, identity: str) -> str:
        # Hashed: cache backends limit key length and characters (memcached).
        digest = hashlib.sha256(identity.strip().lower().encode()).hexdigest()
        return f"reflex_django.throttle.{self.scope}.{digest}"

    def failures(self, *identities: str) -> int:
        counts = cache.get_many([self.key(i) for i in identities if i])
        return max(counts.values(), default=0)

    def verdict(self, *identities: str) -> Verdict:
        """The verdict on the next attempt, without counting it."""
        return self.judge(self.failures(*identities))

    def judge(self, failures: int) -> Verdict:
        if failures >= self.lockout_after:
            return Verdict(refused=True)
        if self.delay_after is not None and failures >= self.delay_after:
            return Verdict(False, min(2 ** (failures - self.delay_after), MAX_DELAY_SECONDS))
        return Verdict(refused=False)

    def hit(self, *identities: str) -> Verdict:
        """Count this attempt for each identity first, then judge it by the ones before.

        Counting before checking the password means parallel attempts cannot
        all slip in under the limit: each one gets its own count from
        ``incr()``, which is atomic on Redis, Memcached and LocMem caches.
        """
        counts = [self.increment(self.key(identity)) for identity in identities if identity]
        return self.judge(max(counts, default=1) - 1)

    def increment(self, key: str) -> int:
        # add() starts the window only if no count exists yet.
        cache.add(key, 0, self.window)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, self.window)
            return 1

    def forgive(self, identity: str) -> None:
        """Take back one attempt that turned out to be legitimate."""
        try:
            cache.decr(self.key(identity))
        except ValueError:  # the window has ended anyway
            pass

    def clear(self, *identities: str) -> None:
        cache.delete_many([self.key(i) for i in identities if i])
