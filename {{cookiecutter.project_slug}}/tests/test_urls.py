"""reflex_mount() and admin_urlpatterns(), as config/urls.py uses them."""

import pytest
from django.urls import get_resolver, path, resolve, reverse

from config import urls as project_urls
from reflex_django.urls import (
    ReflexMountPattern,
    find_mount,
    reflex_mount,
)
from reflex_django.views import ReflexMountView


def test_the_project_mounts_the_spa_last_with_the_spec_values():
    last = project_urls.urlpatterns[-1]
    assert isinstance(last, ReflexMountPattern)
    mount = find_mount()
    assert mount.app_name == "shop"
    assert mount.django_prefixes == ("/admin", "/api", "/shop", "/accounts")
    assert mount.backend_port == 8000


@pytest.mark.parametrize("spa_path", ["/", "/about", "/cart", "/products/mug", "/a/b/c"])
def test_every_other_path_resolves_to_the_mount_view(spa_path):
    assert resolve(spa_path).func.view_class is ReflexMountView


def test_django_routes_above_the_mount_still_win():
    assert resolve("/api/products/").namespace == "api"
    assert resolve("/admin/").namespace == "admin"


def test_the_spa_root_reverses_to_slash():
    assert reverse("reflex_spa") == "/"


def test_reflex_mount_normalizes_prefixes_and_keeps_rx_config():
    mount = reflex_mount(app_name="x", django_prefix="api/", rx_config={"backend_port": 9000})
    assert mount.reflex_mount.django_prefixes == ("/api",)
    assert mount.reflex_mount.backend_port == 9000


def test_find_mount_explains_a_missing_mount():
    with pytest.raises(LookupError, match="reflex_mount"):
        find_mount([path("admin/", lambda r: None)])


@pytest.mark.urls("tests.urls_custom_admin")
def test_admin_urlpatterns_serve_the_admin_and_redirect_the_bare_prefix(client):
    assert resolve("/backoffice/").namespace == "admin"
    response = client.get("/backoffice")
    assert response.status_code == 301
    assert response["Location"] == "/backoffice/"
    assert get_resolver().url_patterns[-1].reflex_mount.django_prefixes == ("/backoffice",)
