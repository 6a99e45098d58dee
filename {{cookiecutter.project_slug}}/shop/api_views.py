"""JSON endpoints under /api/: plain Django views, reached through layer 2."""

from django.http import Http404, HttpRequest, JsonResponse

from .catalog import PRODUCTS, as_json, find_product


def product_list(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"products": [as_json(p) for p in PRODUCTS]})


def product_detail(request: HttpRequest, slug: str) -> JsonResponse:
    product = find_product(slug)
    if product is None:
        raise Http404(f"No product {slug!r}.")
    return JsonResponse(as_json(product))


def me(request: HttpRequest) -> JsonResponse:
    """Who Django thinks is logged in: the same session the Reflex pages use."""
    user = request.user
    return JsonResponse(
        {"is_authenticated": user.is_authenticated, "username": user.get_username()}
    )
