"""The production settings, loaded as a deployment loads them: in a fresh process."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]

# Each test starts Django (and Reflex) in a new process: seconds each.
pytestmark = pytest.mark.slow


def production(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py ARGS`` with production settings and a staged (stand-in) SPA."""
    static_root = tmp_path / "static"
    (static_root / "_reflex").mkdir(parents=True, exist_ok=True)
    (static_root / "_reflex" / "index.html").write_text("<html><head></head></html>")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "shop.example",
        "DJANGO_STATIC_ROOT": str(static_root),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def production_settings(tmp_path: Path, *names: str, **env: str) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = production(tmp_path, "shell", "-v0", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_has_nothing_to_say(tmp_path):
    result = production(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (2 silenced)" in result.stdout


def test_the_silenced_hsts_checks_come_back_with_their_switches(tmp_path):
    switched = production_settings(
        tmp_path,
        "SILENCED_SYSTEM_CHECKS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        DJANGO_SECURE_HSTS_PRELOAD="true",
    )
    assert switched == {
        "SILENCED_SYSTEM_CHECKS": [],
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_processes_share_a_cache_and_mail_goes_out_by_smtp(tmp_path):
    found = production_settings(
        tmp_path,
        "CACHES",
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
        "EMAIL_HOST_USER",
        DJANGO_EMAIL_URL="smtp+tls://mailer:secret@mail.example:587",
    )
    backend = found.pop("CACHES")["default"]["BACKEND"]
    assert backend in (
        "django.core.cache.backends.db.DatabaseCache",  # reflex_state=disk
        "django.core.cache.backends.redis.RedisCache",  # reflex_state=redis
    )
    assert found == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 587,
        "EMAIL_USE_TLS": True,
        "EMAIL_HOST_USER": "mailer",
    }


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [
        ("dbcache://django_cache", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://localhost:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_sessions_are_read_through_the_cache_unless_it_is_the_database(
    tmp_path, cache_url, backend
):
    found = production_settings(tmp_path, "SESSION_ENGINE", "CACHES", DJANGO_CACHE_URL=cache_url)
    used = found["CACHES"]["default"]["BACKEND"]
    # reflex_state=redis has no DJANGO_CACHE_URL: its cache is REDIS_URL's.
    assert used in (backend, "django.core.cache.backends.redis.RedisCache")
    engine = "db" if used.endswith(".DatabaseCache") else "cached_db"
    assert found["SESSION_ENGINE"] == f"django.contrib.sessions.backends.{engine}"
