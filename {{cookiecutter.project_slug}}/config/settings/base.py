"""Settings shared by every environment; each value can come from the environment.

Values are read from the process environment first, then from ``.env`` beside
``manage.py`` (written by the project generator with a fresh SECRET_KEY).
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "reflex_django",
    "shop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database that is down or locked: a 503 that says so, not a traceback.
    "reflex_django.database_faults.DatabaseUnavailableMiddleware",
    # A returning visitor's SPA document, answered before the middleware
    # below, which would only add headers to it (reflex_django.middleware).
    "reflex_django.middleware.SpaDocumentMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

{% if cookiecutter.database == "postgresql" -%}
DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool: each server process keeps a few connections open and
    # lends them out, instead of opening one per request. (With a pool,
    # CONN_MAX_AGE stays 0, its default.)
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DJANGO_DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DJANGO_DB_POOL_MAX_SIZE", default=20),
        "timeout": env.int("DJANGO_DB_POOL_TIMEOUT", default=10),
    }
{% else -%}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
{% endif -%}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it begins, so that two
    # checkouts queue for it instead of failing to upgrade a read lock.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every authenticate() call, the admin's login included, is counted first by
# reflex_django's throttle (REFLEX_DJANGO_AUTH's *_LOCKOUT keys); check
# reflex_django.E011 insists that it stays first.
AUTHENTICATION_BACKENDS = [
    "reflex_django.auth.backends.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

{% if cookiecutter.reflex_state == "redis" -%}
# One Redis for what every server process must share: Django's cache (login
# tickets, throttle counts), the sessions' cache, and Reflex's tab states
# (rx_config["redis_url"] in config/urls.py). cache.clear() empties all three.
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}

{% endif -%}
# Sessions are read through the cache, and written to both. Every SPA
# document and every Reflex event reads the session; from the cache that
# costs no database query (README, "Performance"). Logging out deletes the
# cache entry too. With several server processes the cache must be a shared
# one (check reflex_django.W004 warns of a per-process one), or a logout in
# one process would go unseen by the others until the entry expires.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Static files. WhiteNoise serves STATIC_ROOT, where `export_reflex
# --stage-to-static-root` puts the compiled SPA (/static/_reflex/...), and,
# with finders on, every app's static files without a collectstatic run.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = env.bool("DJANGO_WHITENOISE_USE_FINDERS", default=True)

# Uploaded files (product images). Django serves them only while DEBUG is on
# (config/urls.py); in production the proxy in front serves MEDIA_ROOT.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))

# The session cookie stays HttpOnly (Django's default; check reflex_django.E010
# insists): Reflex events read it from their WebSocket handshake instead.
SESSION_COOKIE_HTTPONLY = True

# reflex_django settings (defaults in reflex_django/conf.py):
# REFLEX_DJANGO_RESERVED_REFLEX_PREFIXES = ()     extra paths Reflex owns
# REFLEX_DJANGO_RENDER_SPA_VIA_TEMPLATE_ENGINE = True
# REFLEX_DJANGO_URL_ROUTING = "auto"

# The auth pages (add_auth_pages() in shop/views.py). Every key, with its
# default, is listed in reflex_django/auth/conf.py and in the README; an
# unknown key stops Django at start-up.
REFLEX_DJANGO_AUTH = {
    "BRAND": "{{ cookiecutter.project_name }}",
    "LOGIN_FIELD": "username",  # or "email"
    "SIGNUP_ENABLED": True,
    "PASSWORD_RESET_ENABLED": True,
}

# Reset emails come from here; the console backend prints them in development.
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="webmaster@localhost")
# Seconds an SMTP server may take before a send gives up (Django waits forever).
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
