"""The one place that reaches past Reflex's public surface.

Reflex's backend recompiles the frontend (and runs npm) whenever it starts,
unless told to skip it. The switch, ``REFLEX_SKIP_COMPILE``, is an internal
variable: its name in the environment is ``__REFLEX_SKIP_COMPILE``, so
setting the plain name does nothing. We set it through Reflex's own
``environment`` object, which knows the real name, and a test
(``tests/test_reflex_contract.py``) fails loudly if that stops working.
"""

from collections.abc import MutableMapping

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
