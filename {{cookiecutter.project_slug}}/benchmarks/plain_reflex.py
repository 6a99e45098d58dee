"""What plain Reflex serves in single-port mode: targets 3 and 4's baseline.

Starlette's ``StaticFiles`` over the same staged bundle, and Reflex's own
backend (the same ``rx.App``, so the same states and the same database) for
its reserved paths. No Django HTTP stack, no dispatcher.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from starlette.staticfiles import StaticFiles  # noqa: E402
from starlette.types import Receive, Scope, Send  # noqa: E402

from reflex_django.bundle import staged_bundle_dir  # noqa: E402
from reflex_django.prefixes import owning_prefix, reserved_reflex_prefixes  # noqa: E402
from reflex_django.reflex_compat import skip_frontend_compile  # noqa: E402

skip_frontend_compile()

from reflex_django.reflex_app import app as reflex_app  # noqa: E402

backend = reflex_app()
static = StaticFiles(directory=staged_bundle_dir(), html=True)
reserved = reserved_reflex_prefixes()


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    """Reflex's paths and lifespan to Reflex, every other path to ``StaticFiles``."""
    if scope["type"] == "lifespan" or owning_prefix(scope["path"], reserved):
        await backend(scope, receive, send)
    else:
        await static(scope, receive, send)
