"""The benchmark servers' settings: production-like, on a throw-away database.

DEBUG is off, as in production. Three limits meant for the open internet
are raised, because every benchmark client comes from 127.0.0.1:

* 200 sockets from one address (target 6) would pass the per-client cap;
* 20 wrong-password logins a second from one address would be locked out
  within seconds, and a locked-out attempt checks no password at all, so
  the "logins under load" row would measure nothing.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import REFLEX_DJANGO_AUTH

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

REFLEX_DJANGO_MAX_SOCKETS_PER_CLIENT = 10_000
REFLEX_DJANGO_AUTH = {
    **REFLEX_DJANGO_AUTH,
    "LOGIN_FAILURES_BEFORE_DELAY": 1_000_000,
    "LOGIN_FAILURES_BEFORE_LOCKOUT": 1_000_001,
    "CLIENT_FAILURES_BEFORE_LOCKOUT": 1_000_002,
}
