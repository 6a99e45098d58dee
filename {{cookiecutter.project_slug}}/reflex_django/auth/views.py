"""The one Django view of the auth pages: it turns a login ticket into a session.

It runs behind Django's full middleware stack, so ``CsrfViewMiddleware``
checks the POST and ``SessionMiddleware`` sets the session cookie with
every ``SESSION_COOKIE_*`` setting, HttpOnly included.
"""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import tickets
from .backends import TICKET_LOGIN_ATTRIBUTE
from .request import csrf_secret

EXPIRED_TICKET = gettext_lazy("This login has expired. Please log in again.")


@sensitive_post_parameters("ticket")
@never_cache
@require_POST
def session_login(request: HttpRequest) -> JsonResponse:
    """Redeem ``ticket`` and log its user in; answer where to go next.

    ``login()`` rotates the session key, as after any Django login, so a
    session fixed by an attacker before the login is worthless after it.
    """
    grant = tickets.redeem(request.POST.get("ticket", ""), csrf_secret(request))
    if grant is None:
        return JsonResponse({"error": str(EXPIRED_TICKET)}, status=400)
    setattr(request, TICKET_LOGIN_ATTRIBUTE, True)
    login(request, grant.user, backend=grant.backend)
    return JsonResponse({"next": grant.next_path})
