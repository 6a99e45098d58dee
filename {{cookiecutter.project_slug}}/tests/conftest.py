"""Shared fixtures: a throw-away SPA bundle on disk, in each of its places."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, so the fast tests report first."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@dataclass
class BundleDirs:
    """The three places ReflexMountView looks for the SPA, in lookup order,
    and where export_reflex builds the bundle it stages."""

    staged: Path
    build: Path
    legacy: Path
    export: Path


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def bundle_dirs(tmp_path: Path, settings) -> BundleDirs:
    """Point BASE_DIR and STATIC_ROOT at empty temporary directories."""
    settings.BASE_DIR = tmp_path / "project"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()  # WhiteNoise warns about a missing one
    return BundleDirs(
        staged=tmp_path / "static" / "_reflex",
        build=tmp_path / "project" / ".web" / "build" / "client",
        legacy=tmp_path / "project" / ".web" / "_static",
        export=tmp_path / ".static.reflex-web" / "build" / "client",
    )


def html(body: str) -> str:
    """A minimal SPA document around ``body``."""
    return f"<!DOCTYPE html><html><head></head><body>{body}</body></html>"


#: The routes of routed_bundle's app: static, dynamic, catch-all and optional catch-all.
ROUTES = ["/", "/about", "/products/[slug]", "/docs/[...page]", "/help/[[...topic]]"]


@pytest.fixture
def routed_bundle(bundle_dirs):
    """A staged bundle with a prerendered page, the fallback shell and a route table."""
    write_files(
        bundle_dirs.staged,
        {
            "index.html": html("index"),
            "about.html": html("about"),
            "__spa-fallback.html": html("fallback"),
            ".reflex-routes.json": json.dumps(ROUTES),
        },
    )
    return bundle_dirs.staged


def sent_mail() -> list:
    """Django's test outbox, once the mail sent off the request path has gone."""
    from django.core import mail

    from reflex_django.threads import wait_for_background

    wait_for_background(timeout=10)
    return mail.outbox
