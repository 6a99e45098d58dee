"""Views whose database calls fail, as they do while the database is down."""

from django.db import OperationalError, ProgrammingError
from django.urls import path

from reflex_django.urls import reflex_mount


def locked(request):
    raise OperationalError("database is locked")


def broken_query(request):
    raise ProgrammingError("no such column: shop_product.colour")


urlpatterns = [path("api/locked/", locked), path("api/broken/", broken_query)]
urlpatterns += [reflex_mount(django_prefix=("/api",))]
