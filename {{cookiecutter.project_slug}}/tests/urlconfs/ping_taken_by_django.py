"""A URLconf that (wrongly) puts Django routes under Reflex's reserved prefixes."""

from django.http import JsonResponse
from django.urls import path

from reflex_django.urls import reflex_mount


def hijacked(request):
    return JsonResponse({"hijacked": True})


urlpatterns = [
    path("ping", hijacked),
    path("_health", hijacked),
    path("_healthy", hijacked),
]
urlpatterns += [reflex_mount(django_prefix=("/api",))]
