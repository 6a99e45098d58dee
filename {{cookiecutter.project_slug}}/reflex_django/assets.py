"""The bundle's ``/assets/`` files, answered before Django is asked.

A first visit fetches the SPA shell and some thirty hashed files under
``/assets/``. Through Django each one would cross the middleware chain, and
the thread that runs it, to reach the mount view; here it costs a dictionary
lookup and a read. The semantics are WhiteNoise's
(:mod:`reflex_django.bundle_files`): ETags, 304s, precompressed twins and
immutable caching for hashed names.

Only a ``GET`` or ``HEAD`` for a file that exists in the bundle is answered
here. Anything else under ``/assets/`` (a missing file, a ``POST``) goes on
to Django, whose mount view answers it as before (a 404, a 405).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from .bundle_files import IMMUTABLE_ASSETS_DIR, BundleFiles, bundle_files, read_body, respond

#: The URL prefix of the files this front serves.
ASSETS_PREFIX = f"/{IMMUTABLE_ASSETS_DIR}/"

SAFE_METHODS = ("GET", "HEAD")


class BundleAssets:
    """An ASGI app: the bundle's ``/assets/`` files, else the wrapped ``app``."""

    def __init__(self, app: ASGIApp, files: BundleFiles | None = None) -> None:
        self.app = app
        self.files = files or bundle_files

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"].startswith(ASSETS_PREFIX)
            and scope["method"] in SAFE_METHODS
            and await self.serve(scope, send)
        ):
            return
        await self.app(scope, receive, send)

    async def serve(self, scope: Scope, send: Send) -> bool:
        """Answer ``scope`` from the bundle; ``False`` when it holds no such file."""
        static_file = self.files.find(scope["path"][1:])
        if static_file is None:
            return False
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope["headers"]
        }
        try:
            response = respond(static_file, scope["method"], headers)
            body = read_body(response)
        except FileNotFoundError:
            # Deleted since it was found (a rebuild in place): let Django say 404.
            self.files.forget()
            return False
        await send(
            {
                "type": "http.response.start",
                "status": int(response.status),
                "headers": [
                    (name.lower().encode("latin-1"), value.encode("latin-1"))
                    for name, value in response.headers
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return True
