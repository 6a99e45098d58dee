"""Each routing pitfall of the design, as a system check with its own id."""

import pytest
from django.core.checks import Error, Warning, run_checks
from django.core.management import call_command

from reflex_django.auth.checks import (
    check_auth_urls,
    check_session_cookie,
    check_shared_cache,
    check_throttle_backend,
)
from reflex_django.checks import check_bundle, check_settings, check_urlconf

from .conftest import write_files


def ids(messages):
    return sorted(message.id for message in messages)


def test_the_generated_project_passes_every_check(capsys):
    call_command("check")
    assert "no issues" in capsys.readouterr().out
    assert ids(check_urlconf()) == []


@pytest.mark.parametrize(
    ("urlconf", "expected"),
    [
        ("tests.urlconfs.drift", ["reflex_django.E006", "reflex_django.W002"]),
        ("tests.urlconfs.shadowing", ["reflex_django.E005"]),
        ("tests.urlconfs.root_taken", ["reflex_django.W001"]),
        ("tests.urlconfs.not_last", ["reflex_django.E004"]),
        ("tests.urlconfs.no_mount", ["reflex_django.E003"]),
        ("tests.urlconfs.reserved_prefix_routes", ["reflex_django.E007", "reflex_django.E007"]),
        ("tests.urlconfs.spa_route", ["reflex_django.E008", "reflex_django.E008"]),
        ("tests.urls_custom_admin", []),
        ("tests.urlconfs.media_in_debug", []),  # MEDIA_URL 404s like a django_prefix
    ],
)
def test_each_broken_urlconf_gets_its_check_id(settings, urlconf, expected):
    settings.ROOT_URLCONF = urlconf
    assert_urlconf_checks(expected)


def assert_urlconf_checks(expected):
    """The URLconf checks report ``expected``: errors as errors, each with a hint."""
    messages = check_urlconf()
    assert ids(messages) == expected
    for message in messages:
        assert message.hint, message.id
        assert isinstance(message, Error if ".E" in message.id else Warning)


def test_the_check_framework_runs_the_routing_checks(settings):
    settings.ROOT_URLCONF = "tests.urlconfs.shadowing"
    assert "reflex_django.E005" in ids(run_checks())


def test_an_unknown_routing_mode_is_an_error(settings):
    settings.REFLEX_DJANGO_URL_ROUTING = "reflex-led"
    assert ids(check_settings()) == ["reflex_django.E001"]


@pytest.mark.parametrize("mode", ["auto", "django_outer", "reflex_led"])
def test_every_documented_routing_mode_is_accepted(settings, mode):
    settings.REFLEX_DJANGO_URL_ROUTING = mode
    assert ids(check_settings()) == []


@pytest.mark.parametrize(
    ("urlconf", "expected"),
    [
        # Reflex's CORS policy, left at any origin, covers Django's responses there.
        ("config.urls", ["reflex_django.W005"]),
        ("tests.urlconfs.no_django_prefix", ["reflex_django.E012"]),
        # A route outside django_prefix is unreachable there, not just a missing 404.
        ("tests.urlconfs.drift", [f"reflex_django.{i}" for i in ("E006", "E013", "W005")]),
    ],
)
def test_the_reflex_led_layout_checks_what_django_can_reach(settings, urlconf, expected):
    settings.REFLEX_DJANGO_URL_ROUTING = "reflex_led"
    settings.ROOT_URLCONF = urlconf
    assert_urlconf_checks(expected)


def test_an_empty_django_prefix_is_fine_in_the_default_layout(settings):
    settings.ROOT_URLCONF = "tests.urlconfs.no_django_prefix"
    assert ids(check_urlconf()) == []


def test_an_unusable_reserved_prefix_is_an_error(settings):
    settings.REFLEX_DJANGO_RESERVED_REFLEX_PREFIXES = ["/"]
    assert ids(check_settings()) == ["reflex_django.E002"]


def test_a_missing_bundle_warns_on_deploy_and_names_the_command(bundle_dirs):
    (warning,) = check_bundle()
    assert warning.id == "reflex_django.W003"
    assert "export_reflex --frontend-only --no-zip --stage-to-static-root" in warning.hint
    assert "reflex_django.W003" in ids(run_checks(include_deployment_checks=True))
    write_files(bundle_dirs.staged, {"index.html": "<html></html>"})
    assert check_bundle() == []


def test_auth_pages_without_their_session_view_are_an_error(settings):
    settings.ROOT_URLCONF = "tests.urlconfs.no_auth_urls"
    (error,) = check_auth_urls()
    assert error.id == "reflex_django.E009" and "reflex_django.auth.urls" in error.hint


def test_a_javascript_readable_session_cookie_is_an_error(settings):
    settings.SESSION_COOKIE_HTTPONLY = False
    assert ids(check_session_cookie()) == ["reflex_django.E010"]


def test_a_per_process_cache_warns_on_deploy(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert ids(check_shared_cache()) == ["reflex_django.W004"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert check_shared_cache() == []


def test_the_per_process_warning_follows_the_configured_cache_alias(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"},
        "auth": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.REFLEX_DJANGO_CACHE_ALIAS = "auth"
    (warning,) = check_shared_cache()
    assert warning.id == "reflex_django.W004" and warning.msg.startswith(
        "CACHES['auth'] is LocMemCache"
    )


def test_a_login_the_throttle_does_not_see_is_an_error(settings):
    assert check_throttle_backend() == []
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    (error,) = check_throttle_backend()
    assert error.id == "reflex_django.E011" and "ThrottleBackend" in error.hint
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "reflex_django.auth.backends.ThrottleBackend",
    ]
    assert ids(check_throttle_backend()) == ["reflex_django.E011"]
