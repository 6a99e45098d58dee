"""``manage.py export_reflex``: ``reflex export``, plus staging for Django."""

from __future__ import annotations

from argparse import ArgumentParser, BooleanOptionalAction
from typing import Any

from django.core.management.base import BaseCommand

from ...build import api_url_for, run_reflex_export, stage


class Command(BaseCommand):
    help = (
        "Build the Reflex app with `reflex export` (same options), and with "
        "--stage-to-static-root copy the SPA to STATIC_ROOT/_reflex, where "
        "Django serves it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--frontend-only", action="store_true", help="Export only the frontend."
        )
        parser.add_argument("--backend-only", action="store_true", help="Export only the backend.")
        parser.add_argument(
            "--zip",
            action=BooleanOptionalAction,
            default=True,
            help="Zip the exports (default), or leave them unzipped with --no-zip.",
        )
        parser.add_argument("--zip-dest-dir", help="Where to write the zip files (default: here).")
        parser.add_argument("--env", choices=["dev", "prod"], help="The environment to export in.")
        parser.add_argument(
            "--ssr",
            action=BooleanOptionalAction,
            default=None,
            help="Turn server-side rendering of the frontend on or off.",
        )
        parser.add_argument(
            "--loglevel",
            choices=["debug", "default", "info", "warning", "error", "critical"],
            help="Reflex's log level.",
        )
        parser.add_argument(
            "--api-url",
            help=(
                "The backend URL baked into the frontend (default: $REFLEX_API_URL, "
                "rx_config's api_url, else http://localhost:<backend_port>)."
            ),
        )
        parser.add_argument(
            "--stage-to-static-root",
            action="store_true",
            help="Copy the built SPA to STATIC_ROOT/_reflex (needs the frontend).",
        )

    def handle(self, **options: Any) -> None:
        api_url = options["api_url"] or api_url_for()
        run_reflex_export(reflex_export_args(options), api_url)
        if options["stage_to_static_root"] and not options["backend_only"]:
            target = stage(api_url)
            self.stdout.write(self.style.SUCCESS(f"Staged the SPA in {target}"))


def reflex_export_args(options: dict[str, Any]) -> list[str]:
    """Translate this command's options into ``reflex export`` arguments."""
    args = ["--zip" if options["zip"] else "--no-zip"]
    if options["frontend_only"]:
        args.append("--frontend-only")
    if options["backend_only"]:
        args.append("--backend-only")
    if options["ssr"] is not None:
        args.append("--ssr" if options["ssr"] else "--no-ssr")
    for name in ("zip_dest_dir", "env", "loglevel"):
        if options[name]:
            args += [f"--{name.replace('_', '-')}", options[name]]
    return args
