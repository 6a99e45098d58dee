"""REFLEX_DJANGO_AUTH: documented defaults, and clear errors for bad values."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from reflex_django.auth.conf import AuthSettings, auth_settings


def test_defaults_apply_to_the_keys_a_project_leaves_out(settings):
    settings.REFLEX_DJANGO_AUTH = {"BRAND": "Teapots"}
    conf = auth_settings()
    assert conf.brand == "Teapots"
    assert (conf.login_route, conf.register_route) == ("/login", "/register")
    assert (conf.password_reset_route, conf.password_reset_confirm_route) == (
        "/password_reset",
        "/password_reset_confirm",
    )
    assert conf.login_field == "username" and conf.signup_enabled and conf.password_reset_enabled


def test_an_unknown_key_is_named_with_a_suggestion(settings):
    settings.REFLEX_DJANGO_AUTH = {"LOGIN_ROUT": "/signin"}
    with pytest.raises(
        ImproperlyConfigured, match="unknown key 'LOGIN_ROUT'. Did you mean 'LOGIN_ROUTE'"
    ):
        auth_settings()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"LOGIN_ROUTE": "login"}, "must be a path starting with '/'"),
        ({"LOGIN_REDIRECT": "https://evil.example"}, "must be a path starting with '/'"),
        ({"SIGNUP_ENABLED": "no"}, "must be True or False"),
        ({"LOCKOUT_SECONDS": True}, "must be an integer"),
        ({"BRAND": 3}, "must be a string"),
        ({"LOCKOUT_SECONDS": 0}, "must be at least 1"),
        ({"LOGIN_FIELD": "phone"}, "must be one of"),
        ({"LOGIN_FAILURES_BEFORE_DELAY": 10}, "must be below LOGIN_FAILURES_BEFORE_LOCKOUT"),
    ],
)
def test_a_bad_value_names_the_key(settings, overrides, message):
    settings.REFLEX_DJANGO_AUTH = overrides
    with pytest.raises(ImproperlyConfigured, match=message):
        auth_settings()


def test_the_setting_must_be_a_dict(settings):
    settings.REFLEX_DJANGO_AUTH = ["LOGIN_ROUTE"]
    with pytest.raises(ImproperlyConfigured, match="must be a dict"):
        auth_settings()


def test_django_start_up_validates_the_setting(settings):
    settings.REFLEX_DJANGO_AUTH = {"NOPE": 1}
    with pytest.raises(ImproperlyConfigured, match="unknown key 'NOPE'"):
        apps.get_app_config("reflex_django").ready()


def test_every_key_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name in AuthSettings.__dataclass_fields__:
        assert f"`{name.upper()}`" in readme, name


def test_the_settings_are_parsed_once_and_again_when_they_change(settings):
    first = auth_settings()
    assert auth_settings() is first
    settings.REFLEX_DJANGO_AUTH = {"BRAND": "Tea Room"}
    assert auth_settings().brand == "Tea Room"
    assert auth_settings() is auth_settings()
