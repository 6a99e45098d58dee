"""The shop's Django views: the pages that are not SPA pages.

After a checkout, the SPA sends the browser here, as a document load; the
view leaves Django's "Order N placed" message and redirects to /orders,
whose SPA document shows it (``reflex_django.django_messages``).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import Order


def order_placed(request: HttpRequest, number: int) -> HttpResponse:
    """Anyone but the order's customer gets a 404, as if it did not exist."""
    if not Order.objects.filter(pk=number, user_id=request.user.pk).exists():
        raise Http404("No such order of yours.")
    messages.success(request, _("Order %(number)s placed. Thank you!") % {"number": number})
    return redirect("/orders")
