"""Prefix drift: django_prefix says /api, the routes live under v1/."""

from django.http import HttpResponse
from django.urls import path

from reflex_django.urls import reflex_mount

urlpatterns = [path("v1/orders/", lambda request: HttpResponse())]
urlpatterns += [reflex_mount(django_prefix=("/api",))]
