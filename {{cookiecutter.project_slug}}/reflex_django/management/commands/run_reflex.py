"""``manage.py run_reflex``: build the SPA if it is stale, then serve it all.

Django, Reflex's backend and the SPA share one port; see
``reflex_django.django_outer_dispatcher`` for who answers which path.
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ...build import api_url_for, staleness
from ...urls import find_mount


class Command(BaseCommand):
    help = (
        "Serve Django and Reflex on one port, exporting the SPA first when it "
        "is missing or older than the code."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Interface to bind (default: 127.0.0.1)."
        )
        parser.add_argument(
            "--port",
            type=int,
            help="Port to bind (default: rx_config's backend_port in urls.py, else 8000).",
        )
        parser.add_argument(
            "--force-export", action="store_true", help="Rebuild the SPA even if it is current."
        )
        parser.add_argument(
            "--log-level", default="info", help="uvicorn's log level (default: info)."
        )
        parser.add_argument(
            "--forwarded-allow-ips",
            default=os.environ.get("FORWARDED_ALLOW_IPS", ""),
            help="Comma-separated addresses of the reverse proxies whose "
            "X-Forwarded-For and X-Forwarded-Proto to believe (default: "
            "$FORWARDED_ALLOW_IPS, else none: the client is the socket's peer).",
        )

    def handle(self, **options: Any) -> None:
        port = options["port"] or find_mount().backend_port
        api_url = api_url_for(port)
        reason = "--force-export" if options["force_export"] else staleness(api_url)
        if reason:
            self.stdout.write(f"Building the SPA ({reason}).")
            call_command(
                "export_reflex",
                frontend_only=True,
                zip=False,
                stage_to_static_root=True,
                api_url=api_url,
            )
        application = getattr(settings, "ASGI_APPLICATION", None)
        if not application:
            raise CommandError('Set ASGI_APPLICATION, e.g. "config.asgi.application".')
        module, _, attribute = application.rpartition(".")
        os.chdir(settings.BASE_DIR)  # Reflex finds rxconfig.py in the working directory
        self.stdout.write(f"Serving on http://{options['host']}:{port}/")
        uvicorn.run(
            f"{module}:{attribute}",
            host=options["host"],
            port=port,
            lifespan="on",
            log_level=options["log_level"],
            **proxy_options(options["forwarded_allow_ips"]),
        )


def proxy_options(forwarded_allow_ips: str) -> dict[str, Any]:
    """uvicorn's proxy settings: believe forwarded headers only from named proxies.

    uvicorn alone would trust them from 127.0.0.1, so anything on the same
    host could claim any client address, and with it a fresh login
    throttle. Reflex reads the address uvicorn settles on (its own
    ``trusted_proxy_hops`` stays 0), so both agree on who the client is.
    """
    if not forwarded_allow_ips.strip():
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": forwarded_allow_ips}
