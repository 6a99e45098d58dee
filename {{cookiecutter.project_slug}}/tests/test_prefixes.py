import pytest
from django.core.exceptions import ImproperlyConfigured

from reflex_django.prefixes import (
    REFLEX_PREFIXES,
    normalize_prefix,
    normalize_prefixes,
    owning_prefix,
    path_has_prefix,
    reserved_reflex_prefixes,
)


@pytest.mark.parametrize("raw", ["api", "/api", "/api/", " /api/ "])
def test_normalize_prefix_accepts_the_usual_spellings(raw):
    assert normalize_prefix(raw) == "/api"


@pytest.mark.parametrize("raw", ["", "/", "//", "/a//b", None, 3])
def test_normalize_prefix_refuses_what_would_own_everything_or_is_malformed(raw):
    with pytest.raises(ImproperlyConfigured):
        normalize_prefix(raw)


def test_a_lone_string_is_one_prefix_not_a_list_of_characters():
    assert normalize_prefixes("/api") == ("/api",)


def test_duplicates_are_dropped_in_order():
    assert normalize_prefixes(["/b", "b/", "/a"]) == ("/b", "/a")


@pytest.mark.parametrize(
    ("path", "owned"),
    [
        ("/_event", True),
        ("/_event/", True),
        ("/_event/socket.io", True),
        ("/_eventual", False),
        ("/_even", False),
        ("/x/_event", False),
        ("/", False),
        ("", False),
    ],
)
def test_prefixes_match_whole_segments(path, owned):
    assert path_has_prefix(path, "/_event") is owned


def test_owning_prefix_names_the_owner():
    assert owning_prefix("/ping/x", REFLEX_PREFIXES) == "/ping"
    assert owning_prefix("/pingpong", REFLEX_PREFIXES) is None


def test_extra_reserved_prefixes_come_from_settings(settings):
    settings.REFLEX_DJANGO_RESERVED_REFLEX_PREFIXES = ["my_api/"]
    assert reserved_reflex_prefixes() == (*REFLEX_PREFIXES, "/my_api")


def test_only_slashes_are_trimmed():
    assert normalize_prefix("/X-files/") == "/X-files"


def test_the_errors_say_what_is_wrong_and_how_to_write_it():
    with pytest.raises(ImproperlyConfigured) as not_a_string:
        normalize_prefix(3)
    assert str(not_a_string.value) == "A path prefix must be a string, not 3."
    with pytest.raises(ImproperlyConfigured) as owns_everything:
        normalize_prefix("/")
    assert str(owns_everything.value) == (
        "'/' is not a usable path prefix: use one or more path segments, "
        "such as '/api' or '/api/v1'."
    )
