"""Uploaded files served by Django, as static() in config/urls.py does in DEBUG."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from reflex_django.urls import reflex_mount

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    reflex_mount(django_prefix=()),
]
