"""Django's messages framework, shown on SPA pages.

A Django view that calls ``messages.success(request, ...)`` and redirects to
an SPA page expects the message to show there. The SPA document is rendered
by Django's template engine (``spa_template``), whose ``spa_head.html``
writes each pending message into a ``<meta name="django-message">`` tag; the
template reading them marks them as seen, as any template would. On the
page, ``django_messages()`` moves them from the tags into a state, once: a
client-side navigation finds no tags and clears them.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

#: Takes the tags out of the document and answers their messages.
TAKE_MESSAGES_JS = """(() => {
  const tags = [...document.querySelectorAll('meta[name="django-message"]')];
  tags.forEach((tag) => tag.remove());
  return tags.map((tag) => ({text: tag.content, level: tag.dataset.level}));
})()"""

#: Radix colours for Django's message levels (``message.level_tag``).
LEVEL_COLORS = {
    "debug": "gray",
    "info": "blue",
    "success": "green",
    "warning": "amber",
    "error": "red",
}

#: More than this many at once is not a message, it is a bug.
MOST_MESSAGES = 10


class DjangoMessagesState(rx.State):
    messages: list[dict[str, str]] = []

    @rx.event
    def take(self) -> rx.event.EventSpec:
        return rx.call_script(TAKE_MESSAGES_JS, callback=DjangoMessagesState.show)

    @rx.event
    def show(self, found: Any) -> None:
        """Keep what the script found; it comes from the browser, so check it."""
        items = found if isinstance(found, list) else []
        self.messages = [
            {
                "text": item["text"],
                "color": LEVEL_COLORS.get(item.get("level"), "blue"),
            }
            for item in items[:MOST_MESSAGES]
            if isinstance(item, dict) and isinstance(item.get("text"), str)
        ]


def django_messages() -> rx.Component:
    """The messages Django left for this page load, as callouts."""
    return rx.vstack(
        rx.foreach(
            DjangoMessagesState.messages,
            lambda message: rx.callout(
                message["text"], color_scheme=message["color"], class_name="django-message"
            ),
        ),
        on_mount=DjangoMessagesState.take,
        width="100%",
    )
