"""The filters on the servers' loggers, given records shaped as those servers make them."""

import logging
import sys

from reflex_django.server_logs import MalformedMessages, RedactTokens, install_log_filters


def record(msg, args=(), exc_info=None, level=logging.INFO) -> logging.LogRecord:
    return logging.LogRecord("uvicorn.access", level, __file__, 1, msg, args, exc_info)


def test_tokens_are_redacted_from_access_lines_and_websocket_lines():
    access = record(
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/_event/?EIO=4&token=abc-123", "1.1", 200),
    )
    accepted = record(
        '%s - "WebSocket %s" [accepted]', ("127.0.0.1:5", "/_event/?token=abc-123&EIO=4")
    )
    for line in (access, accepted):
        RedactTokens().filter(line)
    assert access.getMessage() == '127.0.0.1:5 - "GET /_event/?EIO=4&token=[redacted] HTTP/1.1" 200'
    assert (
        accepted.getMessage()
        == '127.0.0.1:5 - "WebSocket /_event/?token=[redacted]&EIO=4" [accepted]'
    )


def exc_info_of(error: BaseException):
    try:
        raise error
    except BaseException:
        return sys.exc_info()


def test_a_malformed_message_becomes_one_warning_line():
    line = record(
        "message async handler error",
        exc_info=exc_info_of(ValueError("bad packet")),
        level=logging.ERROR,
    )
    MalformedMessages().filter(line)
    assert (line.levelname, line.getMessage(), line.exc_info) == (
        "WARNING",
        "Dropped a malformed Socket.IO message: bad packet",
        None,
    )


def test_any_other_handler_error_keeps_its_traceback():
    line = record(
        "message async handler error", exc_info=exc_info_of(KeyError("bug")), level=logging.ERROR
    )
    MalformedMessages().filter(line)
    assert line.levelname == "ERROR" and line.exc_info is not None


def test_the_filters_are_installed_once():
    install_log_filters()
    install_log_filters()
    assert [type(f) for f in logging.getLogger("uvicorn.access").filters].count(RedactTokens) == 1
    assert [type(f) for f in logging.getLogger("engineio.server").filters].count(
        MalformedMessages
    ) == 1
