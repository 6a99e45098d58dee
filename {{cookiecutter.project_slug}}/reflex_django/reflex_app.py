"""The Reflex app. Reflex's CLI imports it (``app_module_import`` in the
generated rx.Config) and so does the ASGI entry point, so the compiled
frontend and the serving backend are built from the same pages and states.

Django must be set up before this module is imported: ``rxconfig.py`` and
``config/asgi.py`` both do that first.
"""

import reflex as rx

from .auth.pages import guarded
from .auth.session_guard import SessionGuard
from .database_faults import backend_exception_handler
from .pages import add_pages, autodiscover
from .reflex_outer import api_transformer

app = rx.App(
    backend_exception_handler=backend_exception_handler,
    # None by default; Django under Reflex in the legacy "reflex_led" layout.
    api_transformer=api_transformer(),
)
app.add_middleware(SessionGuard(), index=0)
autodiscover()
add_pages(app, guard=guarded)
