"""A URLconf that uses the helpers with a non-default admin prefix."""

from reflex_django.urls import admin_urlpatterns, reflex_mount

urlpatterns = admin_urlpatterns("/backoffice")
urlpatterns += [reflex_mount(django_prefix=("/backoffice",))]
