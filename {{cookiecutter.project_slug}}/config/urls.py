"""URL routing (layer 2). Django routes first; the SPA catch-all last.

Paths Reflex owns (/_event, /_upload, /_health, /ping, ...) never get here:
the outer dispatcher sends them to Reflex first. SPA pages are not listed
here either: they are declared with @template(route=...) in shop/views.py.
"""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from reflex_django.urls import reflex_mount
from shop.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("shop/", include("shop.urls")),
    # The login hand-off of the auth pages (reflex_django.auth.add_auth_pages).
    path("accounts/", include("reflex_django.auth.urls")),
]

# Uploaded files (product images), while developing; in production the proxy
# in front serves MEDIA_ROOT. static() adds nothing when DEBUG is off.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    reflex_mount(
        app_name="shop",
        django_prefix=("/admin", "/api", "/shop", "/accounts"),
{%- if cookiecutter.reflex_state == "redis" %}
        # Tab states live in Redis, so that several server processes share them.
        rx_config={"backend_port": 8000, "redis_url": settings.REDIS_URL},
{%- else %}
        rx_config={"backend_port": 8000},
{%- endif %}
    ),
]
