"""The project's URLconf, with Django routes under reserved Reflex prefixes
placed first (the mistake the spec warns about), and a slow view for the
shutdown tests."""

import os
import time
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def hijacked(request):
    return HttpResponse("hijacked by Django")


def slow(request):
    """Say it has started (a file named by ``?id=``), then take ``?seconds=`` to answer."""
    (Path(os.environ["E2E_SLOW_DIR"]) / request.GET["id"]).touch()
    time.sleep(float(request.GET["seconds"]))
    return HttpResponse("finished")


urlpatterns = [
    path("ping", hijacked),
    path("_health", hijacked),
    path("e2e/slow/", slow),
    *project_urlpatterns,
]
