"""The e2e server's settings: the test settings plus a URLconf that tries to
take Reflex's reserved prefixes, to prove that Reflex still wins there."""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.e2e.urls"

# For the no-bundle server only: a project directory with no .web/ in it.
if empty := os.environ.get("E2E_EMPTY_BASE_DIR"):
    BASE_DIR = Path(empty)
