"""The project's URLconf, with Django routes under reserved Reflex prefixes
placed first (the mistake the spec warns about)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def hijacked(request):
    return HttpResponse("hijacked by Django")


urlpatterns = [path("ping", hijacked), path("_health", hijacked), *project_urlpatterns]
