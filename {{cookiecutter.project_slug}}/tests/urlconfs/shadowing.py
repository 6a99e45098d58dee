"""Catch-all shadowing: a permissive pattern above the mount."""

from django.http import HttpResponse
from django.urls import path, re_path

from reflex_django.urls import reflex_mount

urlpatterns = [
    path("api/", lambda request: HttpResponse()),
    re_path(r"^.*$", lambda request: HttpResponse()),
]
urlpatterns += [reflex_mount(django_prefix=("/api",))]
