"""A mount that gives Django no prefix: fine in the default layout, useless in
reflex_led. Its CORS origins are named, so that only E012 is reported."""

from reflex_django.urls import reflex_mount

urlpatterns = [
    reflex_mount(django_prefix=(), rx_config={"cors_allowed_origins": ["http://localhost:3000"]})
]
