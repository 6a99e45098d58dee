"""What the server's logs say: no tab tokens, and no tracebacks for garbage.

* Every Reflex socket URL carries its tab's token (``/_event/?token=...``),
  and uvicorn logs request paths with their query strings. A token is not a
  session, but it names a tab's state, so it has no place in a log file:
  :class:`RedactTokens` rewrites it in uvicorn's access and error records
  (the WebSocket "accepted" lines go to the latter).
* A client that sends a malformed Socket.IO message makes Engine.IO log the
  parsing error with a full traceback. The fault is the client's, so
  :class:`MalformedMessages` turns that record into one warning line.
"""

from __future__ import annotations

import logging
import re

#: The loggers uvicorn writes request paths to.
SERVER_LOGGERS = ("uvicorn.access", "uvicorn.error")

#: Engine.IO's logger, and the message it logs when a handler raises.
ENGINEIO_LOGGER = "engineio.server"
ENGINEIO_HANDLER_ERROR = "message async handler error"

TOKEN_PARAMETER = re.compile(r"(?<=[?&]token=)[^&\s\"']+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return TOKEN_PARAMETER.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    """Replace the value of every ``token=`` query parameter in a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


class MalformedMessages(logging.Filter):
    """Engine.IO's traceback for an unparsable message, as one warning line.

    Parsing errors are ValueErrors (JSONDecodeError included); any other
    error in a handler is a bug, and keeps its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if record.msg == ENGINEIO_HANDLER_ERROR and isinstance(error, ValueError):
            record.msg, record.args = "Dropped a malformed Socket.IO message: %s", (error,)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def install_log_filters() -> None:
    """Install the filters on the servers' loggers (once, however often called)."""
    loggers = [(name, RedactTokens) for name in SERVER_LOGGERS]
    for name, kind in [*loggers, (ENGINEIO_LOGGER, MalformedMessages)]:
        logger = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())
