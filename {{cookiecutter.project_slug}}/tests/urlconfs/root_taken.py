"""A Django view on '/': the SPA's home page is never served."""

from django.http import HttpResponse
from django.urls import path

from reflex_django.urls import reflex_mount

urlpatterns = [path("", lambda request: HttpResponse(), name="home")]
urlpatterns += [reflex_mount(django_prefix=())]
