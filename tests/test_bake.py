"""Bake the template, check what comes out, then run the result's own suite."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parents[1]
LEFTOVER = re.compile(r"\{\{\s*cookiecutter|\{%-?\s*(if|for|raw)\b.*cookiecutter")


def bake(output_dir: Path, **context: str) -> Path:
    return Path(
        cookiecutter(str(TEMPLATE), no_input=True, output_dir=str(output_dir), extra_context=context)
    )


def secret_key(project: Path) -> str:
    (line,) = [
        line for line in (project / ".env").read_text().splitlines()
        if line.startswith("DJANGO_SECRET_KEY=")
    ]
    return line.split("=", 1)[1]


@pytest.fixture(scope="session")
def baked(tmp_path_factory) -> Path:
    return bake(tmp_path_factory.mktemp("default"))


def test_the_default_project_has_the_expected_layout(baked):
    assert baked.name == "my_shop"
    for name in (
        "manage.py",
        "rxconfig.py",
        "pyproject.toml",
        "README.md",
        "config/urls.py",
        "config/asgi.py",
        "config/settings/base.py",
        "shop/views.py",
        "reflex_django/django_outer_dispatcher.py",
        "reflex_django/management/commands/run_reflex.py",
        "reflex_django/management/commands/export_reflex.py",
        "reflex_django/auth/state.py",
        "reflex_django/templates/reflex_django/auth/password_reset_email.txt",
        "tests/e2e/test_spa.py",
        "tests/e2e/test_auth.py",
    ):
        assert (baked / name).is_file(), name


def test_no_template_syntax_is_left_in_any_file(baked):
    for path in baked.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="ignore")
            assert not LEFTOVER.search(text), f"unrendered template syntax in {path}"


def test_project_values_reach_the_files(tmp_path):
    project = bake(tmp_path, project_name="Tea Room", author_name="Ada")
    assert project.name == "tea_room"
    assert 'name = "tea_room"' in (project / "pyproject.toml").read_text()
    assert "Tea Room" in (project / "shop" / "views.py").read_text()
    assert "Tea Room" in (project / "README.md").read_text()


def test_each_bake_gets_its_own_secret_key(baked, tmp_path):
    first, second = secret_key(baked), secret_key(bake(tmp_path))
    assert first != second
    assert len(first) == 50 and "change-me" not in first


@pytest.mark.parametrize(
    "context",
    [{"project_slug": "1-not-a-module"}, {"project_name": 'The "Best" Shop'}],
)
def test_unusable_values_are_refused_before_anything_is_written(tmp_path, context):
    with pytest.raises(FailedHookException):
        bake(tmp_path, **context)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_a_bake_is_ruff_clean(baked, command):
    """What a user's first `ruff check` and `ruff format --check` say: nothing to fix."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "."], cwd=baked, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_generated_project_passes_its_own_suite(baked):
    """Unit tests and the browser tests, exactly as a user runs them."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "-e", f"{baked}[dev]"], check=True
    )
    result = subprocess.run([sys.executable, "-m", "pytest", "-v"], cwd=baked)
    assert result.returncode == 0, "the generated project's test suite failed (output above)"


def test_every_mutant_of_the_core_is_killed(baked):
    """The generated project's mutation run, as its README documents it.

    Runs after the suite above, which installed the project. A mutant that
    survives needs a test that kills it, or a ``# pragma: no mutate`` with
    the reason it changes nothing.
    """
    mutmut = [sys.executable, "-m", "mutmut"]
    subprocess.run([*mutmut, "run"], cwd=baked, check=True, stdout=subprocess.DEVNULL)
    results = subprocess.run([*mutmut, "results"], cwd=baked, capture_output=True, text=True)
    assert results.returncode == 0 and results.stdout.strip() == "", results.stdout
