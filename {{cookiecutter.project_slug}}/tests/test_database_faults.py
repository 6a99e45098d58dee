"""A database outage: a clear 503 from Django views, a clear toast from Reflex events."""

import pytest
from django.db import OperationalError, ProgrammingError
from reflex_base.event import EventSpec

from reflex_django.database_faults import RETRY_AFTER, backend_exception_handler

MESSAGE = "The database is unavailable right now. Please try again in a moment."


@pytest.mark.urls("tests.urlconfs.database_down")
def test_a_view_whose_database_is_down_answers_503_and_says_why(client, caplog):
    response = client.get("/api/locked/")
    assert response.status_code == 503
    assert response.content.decode() == MESSAGE
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert "Database unavailable for GET /api/locked/: database is locked" in caplog.messages


@pytest.mark.urls("tests.urlconfs.database_down")
def test_a_broken_query_is_still_a_bug_not_an_outage(client):
    with pytest.raises(ProgrammingError):
        client.get("/api/broken/")


def test_an_event_whose_database_is_down_gets_a_toast_that_says_why(caplog):
    spec = backend_exception_handler(OperationalError("database is locked"))
    assert isinstance(spec, EventSpec)
    assert MESSAGE in str(spec)
    assert caplog.messages == ["Database unavailable for a Reflex event: database is locked"]


def test_other_event_errors_keep_reflexs_own_handling():
    spec = backend_exception_handler(RuntimeError("boom"))
    assert MESSAGE not in str(spec) and "An error occurred." in str(spec)
