"""reflex_mount() is not last: the route after it is dead."""

from django.http import HttpResponse
from django.urls import path

from reflex_django.urls import reflex_mount

urlpatterns = [reflex_mount(django_prefix=())]
urlpatterns += [path("api/", lambda request: HttpResponse())]
