"""The project's URLconf without reflex_django.auth.urls, though shop uses add_auth_pages()."""

from django.contrib import admin
from django.urls import path

from reflex_django.urls import reflex_mount
from shop.api import api

urlpatterns = [path("admin/", admin.site.urls), path("api/", api.urls)]
urlpatterns += [reflex_mount(app_name="shop", django_prefix=("/admin", "/api"))]
