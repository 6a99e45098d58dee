"""URL routing (layer 2). Django routes first; the SPA catch-all last.

Paths Reflex owns (/_event, /_upload, /_health, /ping, ...) never get here:
the outer dispatcher sends them to Reflex first. SPA pages are not listed
here either: they are declared with @template(route=...) in shop/views.py.
"""

from django.contrib import admin
from django.urls import include, path

from reflex_django.urls import reflex_mount

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("shop.api_urls")),
]

urlpatterns += [
    reflex_mount(
        app_name="shop",
        django_prefix=("/admin", "/api"),
        rx_config={"backend_port": 8000},
    ),
]
