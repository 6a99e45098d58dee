"""Keep tab tokens out of the server's logs.

Every Reflex socket URL carries its tab's token (``/_event/?token=...``),
and uvicorn logs request paths with their query strings. A token is not a
session, but it names a tab's state, so it has no place in a log file. The
filter rewrites it in the records of uvicorn's access and error loggers
(the WebSocket "accepted" lines go to the latter).
"""

from __future__ import annotations

import logging
import re

#: The loggers uvicorn writes request paths to.
SERVER_LOGGERS = ("uvicorn.access", "uvicorn.error")

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


def redact_tokens_in_server_logs() -> None:
    """Install the filter on uvicorn's loggers (once, however often called)."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
