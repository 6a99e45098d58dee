"""The real ASGI application: Django and Reflex's backend behind the dispatcher.

Starlette's TestClient drives it in-process, lifespan included, so these
tests exercise Reflex's real endpoints without a browser or a socket.
"""

import pytest
from django.test import override_settings
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from reflex_django.django_outer_dispatcher import POLICY_VIOLATION


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    # An empty static root: a bundle staged by an earlier build of other
    # code would (rightly) stop the application from starting.
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        from config.asgi import application

    with TestClient(application) as client:  # runs Reflex's lifespan tasks
        yield client


def test_ping_and_health_come_from_reflex(client):
    assert client.get("/ping").json() == "pong"
    health = client.get("/_health").json()
    # With Redis as the state store, Reflex reports on it too.
    assert health == {"status": True, **({"redis": True} if "redis" in health else {})}


@pytest.mark.django_db(transaction=True)  # the ASGI app's own threads read the database
def test_api_comes_from_django(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_shop", stdout=StringIO())
    page = client.get("/api/products/", params={"q": "kettle"}).json()
    assert [p["slug"] for p in page["items"]] == ["kettle", "travel-kettle"]


def test_admin_comes_from_django(client):
    response = client.get("/admin/", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"].startswith("/admin/login/")


def test_reflex_cors_headers_stay_off_django_responses(client):
    response = client.get("/api/products/", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.urls("tests.urlconfs.ping_taken_by_django")
def test_a_reserved_prefix_wins_over_a_django_route(client):
    assert client.get("/ping").json() == "pong"
    assert client.get("/_health").json() != {"hijacked": True}
    assert client.get("/_healthy").json() == {"hijacked": True}


def test_unknown_websocket_paths_are_closed_cleanly(client):
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect("/not-a-socket"):
            pass
    assert refused.value.code == POLICY_VIOLATION
