"""Production: HTTPS, no debug, static files collected ahead of time.

Set DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL in the
environment. Build the SPA before starting the server:
``python manage.py collectstatic --noinput`` then
``python manage.py export_reflex --frontend-only --no-zip --stage-to-static-root``.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
WHITENOISE_USE_FINDERS = False
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60)
SECURE_CONTENT_TYPE_NOSNIFF = True
