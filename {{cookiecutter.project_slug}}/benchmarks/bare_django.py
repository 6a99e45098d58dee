"""Bare Django ASGI, no dispatcher and no Reflex: target 1's baselines.

``uvicorn benchmarks.bare_django:application`` is Django's own
``ASGIHandler``, the issue's baseline. ``same_handler`` is the handler the
full stack uses (``PooledASGIHandler``), so that comparing with it shows
the dispatcher's own overhead, apart from what the handler gains.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

from reflex_django.django_handler import PooledASGIHandler  # noqa: E402

application = get_asgi_application()
same_handler = PooledASGIHandler()
