"""The e2e server's settings: the test settings plus a URLconf that tries to
take Reflex's reserved prefixes, to prove that Reflex still wins there, and
mail written to files."""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.e2e.urls"

# Mail goes to files the browser tests read (a locmem outbox would stay in
# the server process).
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("E2E_MAIL_DIR", "")

# For the no-bundle server only: a project directory with no .web/ in it.
if empty := os.environ.get("E2E_EMPTY_BASE_DIR"):
    BASE_DIR = Path(empty)

# For the upload fault tests only: uploads on, and a state that takes them.
if os.environ.get("E2E_UPLOAD_PROBE"):
    REFLEX_DJANGO_ALLOW_UPLOADS = True
    INSTALLED_APPS = [*INSTALLED_APPS, "tests.e2e.upload_probe"]  # noqa: F405
