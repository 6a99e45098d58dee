"""A stable id for each browser, kept in its Django session.

Reflex events travel over a WebSocket, and a WebSocket cannot set a cookie.
So data a page keeps for an anonymous visitor (a cart, say) cannot start a
session from an event handler. Instead, every SPA document, an ordinary HTTP
response, makes sure the browser has a session with a random visitor id in
it. Event handlers then only read it.

The id outlives a login, because ``login()`` keeps the session's data when it
rotates the key, so data kept under it can be handed over to the user then.
A logout flushes the session and the id with it.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest

#: The session key the id is kept under.
SESSION_KEY = "reflex_django.visitor"


def visitor_id(request: HttpRequest, *, create: bool = False) -> str | None:
    """The browser's visitor id; with ``create``, made on the spot if missing.

    Only an HTTP view may pass ``create``: the response carries the cookie of
    the session it starts. An event handler's request has no response.
    """
    visitor = request.session.get(SESSION_KEY)
    if visitor is None and create:
        visitor = request.session[SESSION_KEY] = secrets.token_urlsafe(24)
    return visitor
