"""Django routes under Reflex's reserved prefixes."""

from django.http import HttpResponse
from django.urls import include, path

from reflex_django.urls import reflex_mount

urlpatterns = [
    path("_event/debug/", lambda request: HttpResponse()),
    path("ping", include([path("", lambda request: HttpResponse())])),
]
urlpatterns += [reflex_mount(django_prefix=("/_event", "/ping"))]
