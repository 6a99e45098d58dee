"""The test suite: fast hashing, mail kept in memory."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# No connection pool: the test database is dropped at the end, which
# PostgreSQL refuses while a pool still holds connections to it.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's default in-memory database, whose shared cache
    # locks whole tables and fails at once where a real SQLite file waits:
    # the concurrency tests must meet the locking users get. One file per
    # test run, so that two runs never share one.
    name = f"{BASE_DIR.name}-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / name)}
