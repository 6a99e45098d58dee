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

#: The longest pause before an attempt is even checked.
MAX_DELAY_SECONDS = 8


@dataclass(frozen=True)
class Verdict:
    """What to do with the next attempt."""

    refused: bool
    delay: float = 0.0


@dataclass(frozen=True)
class Throttle:
    """A failure counter per identity, which expires ``window`` seconds after it starts.

    ``delay_after`` failures make every later attempt wait (1, 2, 4... seconds);
    ``lockout_after`` failures refuse attempts until the window ends.
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
        failures = self.failures(*identities)
        if failures >= self.lockout_after:
            return Verdict(refused=True)
        if self.delay_after is not None and failures >= self.delay_after:
            return Verdict(False, min(2 ** (failures - self.delay_after), MAX_DELAY_SECONDS))
        return Verdict(refused=False)

    def record(self, *identities: str) -> None:
        """Count one failure (or, for rate limits, one use) for each identity."""
        for identity in filter(None, identities):
            key = self.key(identity)
            # add() starts the window only if no count exists; incr() is atomic
            # on shared caches, so concurrent attempts are all counted.
            cache.add(key, 0, self.window)
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, self.window)

    def clear(self, *identities: str) -> None:
        cache.delete_many([self.key(i) for i in identities if i])
