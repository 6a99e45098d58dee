"""Django's messages on SPA pages: what the browser hands back is checked."""

from types import SimpleNamespace

import pytest

from reflex_django.messages import MOST_MESSAGES, DjangoMessagesState, django_messages


def show(found) -> list[dict[str, str]]:
    state = SimpleNamespace(messages=[])
    DjangoMessagesState.show.fn(state, found)
    return state.messages


def test_each_level_gets_its_colour():
    found = [
        {"text": "Saved", "level": "success"},
        {"text": "Careful", "level": "warning"},
        {"text": "Failed", "level": "error"},
        {"text": "Note", "level": "info"},
        {"text": "Trace", "level": "debug"},
        {"text": "Custom", "level": "made-up"},
    ]
    assert show(found) == [
        {"text": "Saved", "color": "green"},
        {"text": "Careful", "color": "amber"},
        {"text": "Failed", "color": "red"},
        {"text": "Note", "color": "blue"},
        {"text": "Trace", "color": "gray"},
        {"text": "Custom", "color": "blue"},
    ]


@pytest.mark.parametrize(
    "found", [None, "text", 3, {"text": "x"}, [None, 1, "x", {"level": "info"}, {"text": 5}]]
)
def test_anything_else_from_the_browser_shows_nothing(found):
    assert show(found) == []


def test_a_flood_is_cut_short():
    assert len(show([{"text": str(n)} for n in range(50)])) == MOST_MESSAGES


def test_the_component_takes_the_messages_when_it_mounts():
    component = django_messages()
    assert "take" in str(component.event_triggers["on_mount"])
    assert 'className:"django-message"' in str(component)
