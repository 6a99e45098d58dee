"""A state that takes uploads, for the upload fault tests only.

The shop takes no uploads, and uploads are off by default
(``REFLEX_DJANGO_ALLOW_UPLOADS``). ``tests/e2e/settings.py`` installs this
app, and turns uploads on, only for the server that those tests start.
"""
