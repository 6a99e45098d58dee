from django.urls import path

from . import api_views

urlpatterns = [
    path("products/", api_views.product_list, name="api-product-list"),
    path("products/<slug:slug>/", api_views.product_detail, name="api-product-detail"),
    path("me/", api_views.me, name="api-me"),
]
