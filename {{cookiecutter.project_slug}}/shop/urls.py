"""The shop's Django routes, under /shop/ (``config/urls.py``)."""

from django.urls import path

from . import http

app_name = "shop"

urlpatterns = [path("orders/<int:number>/placed/", http.order_placed, name="order-placed")]
