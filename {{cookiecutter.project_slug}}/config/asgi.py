"""The ASGI entry point: ``uvicorn config.asgi:application`` (run_reflex uses it).

Start it from the project directory: Reflex reads rxconfig.py from there.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from reflex_django import get_asgi_application  # noqa: E402

application = get_asgi_application()
