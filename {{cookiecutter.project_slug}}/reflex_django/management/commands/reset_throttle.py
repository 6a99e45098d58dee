"""``manage.py reset_throttle``: list the lockouts, or lift some or all of them."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ...models import Lockout


class Command(BaseCommand):
    help = (
        "List the login, registration and reset lockouts, or lift them. The counts "
        "live in the cache: with a per-process cache (LocMem) only the admin's "
        "action, which runs in the server, can clear them."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "identities",
            nargs="*",
            help="Lift the lockouts of these identities, as listed "
            "(e.g. 'pair:alice|203.0.113.7' or 'client:203.0.113.7').",
        )
        parser.add_argument("--all", action="store_true", help="Lift every lockout.")

    def handle(self, *args: Any, **options: Any) -> None:
        identities = options["identities"]
        if options["all"] and identities:
            raise CommandError("Name identities, or --all, not both.")
        if not (options["all"] or identities):
            for lockout in Lockout.objects.all():
                state = "active" if lockout.is_active else "expired"
                until = f"{lockout.expires_at:%Y-%m-%d %H:%M:%S}"
                self.stdout.write(f"{lockout.scope}\t{lockout.identity}\t{state} until {until}")
            return
        lockouts = (
            Lockout.objects.all()
            if options["all"]
            else Lockout.objects.filter(identity__in=identities)
        )
        unknown = set(identities) - {lockout.identity for lockout in lockouts}
        if unknown:
            raise CommandError(
                f"No lockout of {', '.join(sorted(unknown))}: see `manage.py reset_throttle`."
            )
        lifted = 0
        for lockout in lockouts:
            lockout.lift()
            lifted += 1
        self.stdout.write(
            self.style.SUCCESS(f"Lifted {lifted} lockout{'s' if lifted != 1 else ''}.")
        )
