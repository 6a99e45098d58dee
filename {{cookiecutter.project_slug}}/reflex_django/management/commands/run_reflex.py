"""``manage.py run_reflex``: serve Django, Reflex and the SPA on one port.

Development mode (``DEBUG`` on, no ``--prod``) runs Vite's dev server and a
reloading backend behind one port (:mod:`reflex_django.dev_server`): a saved
page shows up in the open browser. Production mode builds the SPA if it is
stale, then serves the bundle; ``reflex_django.django_outer_dispatcher``
says who answers which path in both.

In the legacy ``"reflex_led"`` layout it runs Reflex's own ``reflex run``
instead: the SPA on the frontend port, the backend (with Django under its
prefixes, :mod:`reflex_django.reflex_outer`) on ``--port``.
"""

from __future__ import annotations

import os
import signal
import sys
from argparse import ArgumentParser
from contextlib import suppress
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ...build import api_url_for, build_environment, staleness
from ...bundle import web_dir
from ...dev_proxy import DevFront
from ...dev_server import Child, dev_children, watched_dirs
from ...reflex_outer import is_reflex_led
from ...server_logs import install_log_filters
from ...urls import find_mount


class Command(BaseCommand):
    help = (
        "Serve Django and Reflex on one port. With DEBUG on: development mode, "
        "where saved Python files reload the backend and the open page. With "
        "--prod or DEBUG off: the exported SPA, rebuilt first when it is "
        "missing or older than the code."
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
            "--frontend-port",
            type=int,
            help='The SPA\'s port in the legacy "reflex_led" layout (default: '
            "rx_config's frontend_port in urls.py, else 3000).",
        )
        parser.add_argument(
            "--prod",
            action="store_true",
            help="Serve the exported SPA, as production does, even with DEBUG on.",
        )
        parser.add_argument(
            "--force-export",
            action="store_true",
            help="Rebuild the SPA even if it is current (production mode).",
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
        self.check_migrations()
        port = options["port"] or find_mount().backend_port
        application = getattr(settings, "ASGI_APPLICATION", None)
        if not application:
            raise CommandError('Set ASGI_APPLICATION, e.g. "config.asgi.application".')
        module, _, attribute = application.rpartition(".")
        os.chdir(settings.BASE_DIR)  # Reflex finds rxconfig.py in the working directory
        if is_reflex_led():
            self.serve_reflex_led(port, options)
        elif settings.DEBUG and not options["prod"]:
            self.serve_development(f"{module}:{attribute}", port, options)
        else:
            self.serve_production(f"{module}:{attribute}", port, options)

    def serve_development(self, application: str, port: int, options: dict[str, Any]) -> None:
        """Vite and a reloading backend behind this process's one port."""
        base_dir = Path(settings.BASE_DIR)
        outputs = [Path(p) for p in (settings.STATIC_ROOT, settings.MEDIA_ROOT) if p]
        env = build_environment(api_url_for(port), web_dir())
        install_log_filters()  # the front logs socket URLs too, tokens and all
        self.stdout.write("Development mode: starting the frontend dev server (Vite).")
        # uvicorn re-raises the signal that stopped it once it is done; as an
        # exception, SIGTERM (like Ctrl+C's SIGINT) still stops the children.
        signal.signal(signal.SIGTERM, exit_on_signal)
        with (
            suppress(KeyboardInterrupt),
            dev_children(
                base_dir,
                application,
                env,
                watched_dirs(base_dir, outputs),
                options["log_level"],
                self.stdout,
            ) as (backend_url, vite_url),
        ):
            self.stdout.write(
                f"Serving on http://{options['host']}:{port}/ (development mode; "
                "saved Python files reload the backend and the open page). "
                "Quit with CONTROL-C."
            )
            uvicorn.run(
                DevFront(backend_url, vite_url),
                host=options["host"],
                port=port,
                lifespan="on",
                # The backend logs every request and its own start-up, which
                # are the front's too, and writes Date and Server: one line
                # and one header each is enough. The front says only what
                # goes wrong in it, such as a port already in use.
                log_level="warning",
                access_log=False,
                date_header=False,
                server_header=False,
            )

    def serve_production(self, application: str, port: int, options: dict[str, Any]) -> None:
        """The exported bundle, rebuilt first if it is stale, and the backend."""
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
        self.stdout.write(f"Serving on http://{options['host']}:{port}/")
        uvicorn.run(
            application,
            host=options["host"],
            port=port,
            lifespan="on",
            log_level=options["log_level"],
            **proxy_options(options["forwarded_allow_ips"]),
        )

    def serve_reflex_led(self, port: int, options: dict[str, Any]) -> None:
        """``reflex run``: the SPA on the frontend port, the backend on ``port``.

        Reflex's production mode serves both on one port (the backend mounts
        the compiled frontend), so ``--prod`` runs that, on ``port``.
        """
        prod = options["prod"] or not settings.DEBUG
        command = reflex_run_command(
            port, None if prod else options["frontend_port"] or find_mount().frontend_port
        )
        command += ["--backend-host", options["host"]]
        env = build_environment(api_url_for(port), web_dir())
        signal.signal(signal.SIGTERM, exit_on_signal)
        # A session of its own, so that stopping it stops the Node processes too.
        reflex = Child("reflex run", command, Path(settings.BASE_DIR), env)
        try:
            code = reflex.process.wait()
        except KeyboardInterrupt:
            return  # Ctrl+C: stopped below, as asked
        finally:
            reflex.stop()
        if code != 0:
            raise CommandError(f"`reflex run` exited with code {code}; its output above says why.")


def reflex_run_command(port: int, frontend_port: int | None) -> list[str]:
    """``reflex run`` with the backend on ``port``: two ports, or one (``--env prod``)."""
    command = [sys.executable, "-m", "reflex", "run", "--backend-port", str(port)]
    if frontend_port is None:
        return [*command, "--env", "prod"]
    return [*command, "--frontend-port", str(frontend_port)]


def exit_on_signal(signum: int, frame: FrameType | None) -> None:
    """Leave through the ``with`` blocks, which stop the child processes."""
    raise SystemExit(128 + signum)


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
