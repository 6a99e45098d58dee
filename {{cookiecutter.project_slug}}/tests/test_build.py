"""Staleness of the staged bundle, and the export command's arguments."""

import gzip
import json
import stat
import subprocess

import brotli
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from reflex_django.build import (
    api_url_for,
    build_stamp,
    refuse_skewed_bundle,
    run_reflex_export,
    source_fingerprint,
    stage,
    staleness,
    stamp_path,
)
from reflex_django.bundle import EXPORT_COMMAND, export_web_dir, web_dir
from reflex_django.dev_documents import DEV_SERVER_ENV
from reflex_django.management.commands.export_reflex import reflex_export_args

from .conftest import write_files


@pytest.fixture
def project(bundle_dirs):
    base = bundle_dirs.staged.parent.parent / "project"
    write_files(
        base,
        {
            "shop/views.py": "PAGES = 1\n",
            "rxconfig.py": "config = None\n",
            "assets/logo.svg": "<svg/>",
            "tests/test_x.py": "x = 1\n",
            "shop/migrations/0001_initial.py": "x = 1\n",
            ".venv/lib/site.py": "x = 1\n",
            "benchmarks/suite.py": "x = 1\n",
            "notes.txt": "not code",
        },
    )
    return base


def test_the_fingerprint_follows_code_and_assets(project):
    before = source_fingerprint(project)
    (project / "shop" / "views.py").write_text("PAGES = 2\n")
    after_code = source_fingerprint(project)
    (project / "assets" / "logo.svg").write_text("<svg></svg>")
    after_asset = source_fingerprint(project)
    assert len({before, after_code, after_asset}) == 3


@pytest.mark.parametrize(
    "ignored",
    [
        "tests/test_x.py",
        "shop/migrations/0001_initial.py",
        ".venv/lib/site.py",
        "notes.txt",
        "benchmarks/suite.py",  # the performance suite never reaches the frontend
        "build/lib/shop/views.py",  # pip install . in the image's build stage
        "dist/x.py",
    ],
)
def test_the_fingerprint_ignores_what_never_reaches_the_frontend(project, ignored):
    before = source_fingerprint(project)
    (project / ignored).parent.mkdir(parents=True, exist_ok=True)
    (project / ignored).write_text("changed\n")
    assert source_fingerprint(project) == before


def test_staleness_names_each_reason(project, bundle_dirs):
    url = "http://localhost:8000"
    assert "no bundle" in staleness(url)
    write_files(bundle_dirs.export, {"index.html": "<html></html>"})
    stage(url)
    assert staleness(url) is None
    assert staleness("http://localhost:9000") == "changed since the last build: api_url"
    (project / "shop" / "views.py").write_text("PAGES = 3\n")
    assert staleness(url) == "changed since the last build: code"
    stamp_path().write_text("not json")
    assert "no build stamp" in staleness(url)


def test_stage_replaces_the_old_bundle_whole_and_readably(project, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": "old", "assets/old.js": "old"})
    write_files(bundle_dirs.export, {"index.html": "new", "assets/new.js": "new"})
    target = stage("http://localhost:8000")
    assert target == bundle_dirs.staged
    assert (target / "index.html").read_text() == "new"
    assert not (target / "assets" / "old.js").exists()
    assert json.loads(stamp_path().read_text()) == build_stamp("http://localhost:8000")
    assert not stamp_path().is_relative_to(bundle_dirs.staged.parent)  # never served
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert [p.name for p in target.parent.iterdir()] == ["_reflex"]
    # The app's routes go with the bundle, so the mount view can 404 the rest.
    routes = json.loads((target / ".reflex-routes.json").read_text())
    assert {"/", "/about", "/products/[slug]", "/login"} <= set(routes)


def test_stage_writes_compressed_twins_of_assets_only(project, bundle_dirs):
    script = "console.log('a long enough script to be worth compressing');\n" * 40
    write_files(
        bundle_dirs.export,
        {"index.html": "<html>" + "x" * 2000 + "</html>", "assets/app-BcBPaK_9.js": script},
    )
    write_files(bundle_dirs.export, {"assets/logo.png": b"\x89PNG" * 500})
    target = stage("http://localhost:8000")
    script_file = target / "assets" / "app-BcBPaK_9.js"
    assert gzip.decompress(script_file.with_suffix(".js.gz").read_bytes()).decode() == script
    assert brotli.decompress(script_file.with_suffix(".js.br").read_bytes()).decode() == script
    # HTML is rendered per request, and a PNG is compressed already.
    assert not (target / "index.html.br").exists()
    assert not (target / "assets" / "logo.png.br").exists()


def test_stage_refuses_when_nothing_was_built(project, bundle_dirs):
    with pytest.raises(CommandError, match="No built SPA"):
        stage("http://localhost:8000")


def test_the_api_url_follows_the_port_unless_configured(monkeypatch):
    monkeypatch.delenv("REFLEX_API_URL", raising=False)
    assert api_url_for() == "http://localhost:8000"
    assert api_url_for(8123) == "http://localhost:8123"
    monkeypatch.setenv("REFLEX_API_URL", "https://shop.example")
    assert api_url_for(8123) == "https://shop.example"


def test_export_options_translate_to_reflex_export_arguments():
    options = {
        "zip": False,
        "frontend_only": True,
        "backend_only": False,
        "ssr": False,
        "zip_dest_dir": None,
        "env": "prod",
        "loglevel": "debug",
    }
    assert reflex_export_args(options) == [
        "--no-zip",
        "--frontend-only",
        "--no-ssr",
        "--env",
        "prod",
        "--loglevel",
        "debug",
    ]


def test_each_static_root_exports_in_a_web_dir_of_its_own(settings, tmp_path):
    """The dev server's .web, the project's export and the e2e exports never meet."""
    settings.BASE_DIR = tmp_path / "project"
    settings.STATIC_ROOT = tmp_path / "project" / "staticfiles"
    project_export = export_web_dir()
    settings.STATIC_ROOT = tmp_path / "project" / ".e2e" / "staticfiles"
    e2e_export = export_web_dir()
    assert len({project_export, e2e_export, web_dir()}) == 3
    assert project_export == tmp_path / "project" / ".staticfiles.reflex-web"


def test_reflex_export_runs_in_the_static_roots_web_dir(monkeypatch, bundle_dirs):
    ran: list[dict] = []
    monkeypatch.setattr(
        "subprocess.run",
        lambda command, **kwargs: ran.append(kwargs) or subprocess.CompletedProcess(command, 0),
    )
    run_reflex_export(["--no-zip"], "http://localhost:8000")
    assert ran[0]["env"]["REFLEX_WEB_WORKDIR"] == str(bundle_dirs.export.parent.parent)


def test_a_bundle_built_from_other_code_stops_the_server_naming_the_command(project, bundle_dirs):
    refuse_skewed_bundle()  # no bundle: the mount view's 404 says what to do
    write_files(bundle_dirs.export, {"index.html": "<html></html>"})
    stage("http://localhost:8000")
    refuse_skewed_bundle()  # built from this very code
    (project / "shop" / "views.py").write_text("PAGES = 4\n")
    with pytest.raises(ImproperlyConfigured) as refused:
        refuse_skewed_bundle()
    assert "the code changed since the build" in str(refused.value)
    assert EXPORT_COMMAND in str(refused.value)


def test_a_bundle_without_a_stamp_says_nothing_about_its_code(project, bundle_dirs):
    write_files(bundle_dirs.staged, {"index.html": "<html></html>"})
    refuse_skewed_bundle()


def test_the_production_server_checks_for_skew_before_anything_else(monkeypatch):
    from reflex_django import asgi, build

    class Refused(Exception):
        pass

    def refuse() -> None:
        raise Refused

    monkeypatch.setattr(build, "refuse_skewed_bundle", refuse)
    monkeypatch.delenv(DEV_SERVER_ENV, raising=False)
    with pytest.raises(Refused):
        asgi.get_asgi_application()
