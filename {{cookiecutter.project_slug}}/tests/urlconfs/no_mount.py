"""No reflex_mount() at all."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("api/", lambda request: HttpResponse())]
