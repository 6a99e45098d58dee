"""Production: HTTPS, no debug, static files collected ahead of time.

Set in the environment: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
DJANGO_CSRF_TRUSTED_ORIGINS
{%- if cookiecutter.database == "postgresql" %}, DATABASE_URL{% endif %}
{%- if cookiecutter.reflex_state == "redis" %}, REDIS_URL{% endif %}.
Build the SPA before starting the server:
``python manage.py collectstatic --noinput`` then
``python manage.py export_reflex --frontend-only --no-zip --stage-to-static-root``.
``python manage.py check --deploy`` has nothing to say about these settings.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
WHITENOISE_USE_FINDERS = False
# Hashed, compressed copies of every static file, cached for ever by browsers.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60)
# These two commit every subdomain, and then the browsers' preload lists, to
# HTTPS for as long as browsers remember, which cannot be undone quickly. So
# they wait for you to switch them on, and until then the two checks that ask
# for them (security.W005 and W021) are silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
{%- if cookiecutter.reflex_state == "disk" %}

# A cache every server process shares, for login tickets and throttle counts
# (check reflex_django.W004): a database table, unless DJANGO_CACHE_URL names
# another, such as redis://host:6379/0. Create the table once with
# `python manage.py createcachetable`.
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="dbcache://django_cache")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # Sessions through a cache that is a database table would cost two
    # writes per new session and save no read: keep them in their own table.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
{%- endif %}

# Outgoing mail (password resets): smtp://user:password@host:587, with
# smtp+tls:// or smtp+ssl:// for an encrypted connection. Without it, Django's
# own default: an SMTP server on this host, port 25.
vars().update(env.email("DJANGO_EMAIL_URL", default="smtp://localhost:25"))
