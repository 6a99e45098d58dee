"""Django and Reflex in one ASGI process, on one port, with one session.

The package follows the three routing layers of the design:

* layer 1, :mod:`reflex_django.django_outer_dispatcher`: picks Django or Reflex
  for every ASGI scope, using the pure rules in :mod:`reflex_django.prefixes`;
* layer 2, :mod:`reflex_django.urls` and :mod:`reflex_django.views`: the SPA
  catch-all at the end of ``urls.py`` and the view that serves the bundle;
* layer 3, :mod:`reflex_django.pages`: the ``@template`` pages that Reflex's
  client router navigates between.

On top of them, :mod:`reflex_django.auth` gives those pages Django's accounts
on one HttpOnly session, and :mod:`reflex_django.origins` keeps other sites
off Reflex's socket.
"""
