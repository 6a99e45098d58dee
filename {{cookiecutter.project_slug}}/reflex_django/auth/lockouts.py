"""Lockouts the throttle has imposed, recorded so that people can see and lift them.

The counts themselves live in the cache (:mod:`reflex_django.auth.throttle`),
which cannot be listed. So when an identity first crosses its limit, a
:class:`~reflex_django.models.Lockout` row records it: the admin lists the
rows, and its "Lift" action, or ``manage.py reset_throttle``, clears both the
row and the count behind it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def record_lockout(scope: str, identity: str, window: int) -> None:
    """Note that ``identity`` is locked out of ``scope`` for ``window`` seconds."""
    from ..models import Lockout  # models load after the app registry

    now = timezone.now()
    Lockout.objects.update_or_create(
        scope=scope,
        identity=identity,
        defaults={"locked_at": now, "expires_at": now + timedelta(seconds=window)},
    )
