"""reflex_django's one model: the lockouts its throttle imposes."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Lockout(models.Model):
    """One identity refused by one throttle until ``expires_at``.

    An identity reads ``pair:<account>|<address>``, ``client:<address>`` or
    ``email:<address>``; a scope is ``login``, ``register`` or
    ``password_reset``. The count itself is in the cache; this row is how
    people find it (the admin) and lift it (the admin's action, or
    ``manage.py reset_throttle``).
    """

    scope = models.CharField(_("throttle"), max_length=40)
    identity = models.CharField(_("who"), max_length=400)
    locked_at = models.DateTimeField(_("locked at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "identity"], name="one_lockout_per_identity")
        ]
        ordering = ["-locked_at"]
        verbose_name = _("lockout")
        verbose_name_plural = _("lockouts")

    def __str__(self) -> str:
        return f"{self.scope}: {self.identity}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()

    def lift(self) -> None:
        """Forget the attempts behind this lockout, and the lockout itself."""
        from .auth.throttle import Throttle

        Throttle(self.scope, window=0).clear(self.identity)
        self.delete()
