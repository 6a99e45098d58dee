"""Render the SPA's HTML through Django's template engine, scripts untouched.

``index.html`` is written by a JavaScript bundler, not by a template author:
its inline ``<script>`` and ``<style>`` blocks may contain ``{{`` or ``{%``
by accident. Each block's body is set aside before the template is compiled,
replaced by a placeholder with no braces in it, and put back after rendering,
so Django never parses it and it comes out byte for byte.

(``{% verbatim %}`` is not enough: a stray ``{{`` at the end of one script
makes Django's lexer swallow the closing tag and run on into the next block.)

The template ``reflex_django/spa_head.html`` is rendered into the end of the
``<head>``, where React leaves foreign tags alone when it hydrates.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.template import engines
from django.template.backends.django import Template
from django.template.loader import get_template

_RAW_TEXT_BLOCK = re.compile(r"(<(script|style)\b[^>]*>)(.*?)(</\2\s*>)", re.IGNORECASE | re.DOTALL)

#: Rendered at the end of every document's <head>; a project may override it
#: (templates/reflex_django/spa_head.html). The default one carries Django's
#: messages to the page (``reflex_django.messages``).
HEAD_TEMPLATE = "reflex_django/spa_head.html"
HEAD_INCLUDE = f'{{% include "{HEAD_TEMPLATE}" %}}'
#: The default head, shipped with this package.
DEFAULT_HEAD = Path(__file__).parent / "templates" / HEAD_TEMPLATE
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


#: What starts a Django template tag, variable or comment, and what ends one.
TAG_OPENERS = ("{{", "{%", "{#")
TAG_CLOSERS = ("}}", "%}", "#}")


@dataclass(frozen=True)
class SpaTemplate:
    """A compiled document: static text around the part that has template tags.

    A bundler's ``index.html`` is mostly scripts and markup with no tags at
    all; usually the only tag is the ``spa_head.html`` include. So the text
    before the first tag and after the last one is kept as it is, its raw
    blocks already put back, and only the part between them is rendered.
    """

    prefix: str
    template: Template
    suffix: str
    placeholder: re.Pattern[str]
    raw_blocks: tuple[str, ...]
    #: How many placeholders the rendered part must give back.
    expected: int
    source: Path
    #: The whole document, encoded, as a request with no messages waiting renders it,
    #: when nothing else can change it: its only tag is the default head's
    #: include. ``None`` otherwise (reflex_django.middleware).
    static: bytes | None = None

    def render(self, request: HttpRequest) -> str:
        rendered = self.template.render(request=request)
        restored, count = self.placeholder.subn(
            lambda m: self.raw_blocks[int(m.group(1))], rendered
        )
        if count != self.expected:
            raise ImproperlyConfigured(
                f"{self.source} has an unbalanced '{{{{' or '{{%' outside its "
                "scripts, which swallowed part of the page. Fix the page, or set "
                "REFLEX_DJANGO_RENDER_SPA_VIA_TEMPLATE_ENGINE = False."
            )
        return self.prefix + restored + self.suffix


def split_static(text: str) -> tuple[str, str, str]:
    """``text`` as: before the first tag; from it to the end of the last; after."""
    opened = [i for i in (text.find(o) for o in TAG_OPENERS) if i >= 0]
    if not opened:
        return text, "", ""
    last = max(text.rfind(o) for o in TAG_OPENERS)
    closed = [i for i in (text.find(c, last + 2) for c in TAG_CLOSERS) if i >= 0]
    end = min(closed) + 2 if closed else len(text)
    return text[: min(opened)], text[min(opened) : end], text[end:]


def compile_spa_template(source: Path, text: str | None = None) -> SpaTemplate:
    """Compile ``text`` (by default, ``source``'s) with its script and style bodies set aside."""
    # Mutation testing: the token only has to be unguessable; its length is free.
    token = f"reflex-django-raw-{secrets.token_hex(8)}-"  # pragma: no mutate
    raw_blocks: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        opening, _, body, closing = match.groups()
        raw_blocks.append(body)
        return f"{opening}{token}{len(raw_blocks) - 1}{closing}"

    # Mutation testing: "UTF-8" is the same codec, and None means the locale's,
    # which is UTF-8 wherever the tests run; the bundle is UTF-8 everywhere.
    if text is None:
        text = source.read_text("utf-8")  # pragma: no mutate
    text = _RAW_TEXT_BLOCK.sub(set_aside, text)
    text = _HEAD_END.sub(lambda end: f"{HEAD_INCLUDE}{end[0]}", text, count=1)
    placeholder = re.compile(re.escape(token) + r"(\d+)")

    def restore(static: str) -> str:
        return placeholder.sub(lambda m: raw_blocks[int(m.group(1))], static)

    before, dynamic, after = split_static(text)
    prefix, suffix = restore(before), restore(after)
    template = engines["django"].from_string(dynamic)
    static = None
    if dynamic == HEAD_INCLUDE and head_is_default():
        # With no context, the head's messages loop has nothing to show.
        static = (prefix + template.render() + suffix).encode()
    return SpaTemplate(
        prefix=prefix,
        template=template,
        suffix=suffix,
        placeholder=placeholder,
        raw_blocks=tuple(raw_blocks),
        expected=len(placeholder.findall(dynamic)),
        source=source,
        static=static,
    )


def head_is_default() -> bool:
    """Whether ``spa_head.html`` is the one shipped here, which shows only messages."""
    origin = get_template(HEAD_TEMPLATE).origin.name
    return Path(origin) == DEFAULT_HEAD


# Compiled documents keyed by file, valid while the file's mtime and size hold:
# a rebuild replaces the files, so a stale entry is never served.
_cache: dict[Path, tuple[tuple[int, int], SpaTemplate]] = {}


def compiled(source: Path) -> SpaTemplate:
    """``source``, compiled once until the file changes."""
    stat = source.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(source)
    if cached is None or cached[0] != key:
        cached = (key, compile_spa_template(source))
        _cache[source] = cached
    return cached[1]


def render_spa_html(request: HttpRequest, source: Path) -> str:
    """Render ``source`` with the request's context processors applied."""
    return compiled(source).render(request)


def render_spa_text(request: HttpRequest, text: str, source: str) -> str:
    """Render a document that is not a file (development mode: Vite's), uncached."""
    return compile_spa_template(Path(source), text).render(request)
