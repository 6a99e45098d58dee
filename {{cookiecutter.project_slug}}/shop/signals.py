"""At login, the visitor's anonymous cart joins the user's cart.

This runs for every login that goes through ``django.contrib.auth.login()``:
the SPA's login pages, the admin's, and any view added later.
"""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from reflex_django import visitor_id

from .carts import merge_visitor_cart


@receiver(user_logged_in, dispatch_uid="shop.merge_visitor_cart")
def merge_cart_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    visitor = visitor_id(request) if request is not None else None
    if visitor is not None:
        merge_visitor_cart(visitor, user)
