"""An SPA page (/about, /products/[slug]) also declared as a Django path()."""

from django.http import HttpResponse
from django.urls import path

from reflex_django.urls import reflex_mount

urlpatterns = [
    path("about", lambda request: HttpResponse()),
    path("products/<slug:slug>", lambda request: HttpResponse()),
]
urlpatterns += [reflex_mount(django_prefix=("/about", "/products"))]
