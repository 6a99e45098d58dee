"""The one place that reaches past Reflex's public surface.

Reflex's backend recompiles the frontend (and runs npm) whenever it starts,
unless told to skip it. The switch, ``REFLEX_SKIP_COMPILE``, is an internal
variable: its name in the environment is ``__REFLEX_SKIP_COMPILE``, so
setting the plain name does nothing. We set it through Reflex's own
``environment`` object, which knows the real name, and a test
(``tests/test_reflex_contract.py``) fails loudly if that stops working.

It also lends out Reflex's default handler for errors in event handlers,
which Reflex does not export.
"""

from collections.abc import MutableMapping
from typing import Any

from reflex_base.environment import environment


def skip_frontend_compile() -> None:
    """Serve the exported bundle as it is: no recompile at backend start.

    The value lands in ``os.environ``, so server worker processes inherit it.
    """
    environment.REFLEX_SKIP_COMPILE.set(True)


def allow_frontend_compile(env: MutableMapping[str, str]) -> None:
    """Remove the switch from ``env``, for a ``reflex export`` subprocess.

    A process that serves the app has it set; an export started from such a
    process (``run_reflex``, or a test session) must still compile.
    """
    env.pop(environment.REFLEX_SKIP_COMPILE.name, None)


def default_backend_exception_handler(exception: Exception) -> Any:
    """Reflex's own handler for errors in event handlers (a toast, and the log).

    ``rx.App`` uses it unless given another; ours
    (``reflex_django.database_faults``) hands it every error that is not a
    database outage. It is not exported as ``rx.*``, hence its place here.
    """
    from reflex.app import default_backend_exception_handler as reflex_default

    return reflex_default(exception)
