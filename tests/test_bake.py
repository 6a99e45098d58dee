"""Bake the template and check what comes out: layout, values, hooks, git.

Every combination of the options is checked in test_matrix.py; the full runs
of the generated project's own suite are in test_full_runs.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bakery import OPTIONS, TEMPLATE, bake, files_of, leftovers
from cookiecutter.exceptions import FailedHookException


def secret_key(project: Path) -> str:
    (line,) = [
        line
        for line in (project / ".env").read_text().splitlines()
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
        ".env",
        ".pre-commit-config.yaml",
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
    assert leftovers(baked) == []


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


def test_the_options_are_those_the_tests_know():
    """A new option or value needs its checks here and in test_matrix.py."""
    declared = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    choices = {key: value for key, value in declared.items() if isinstance(value, list)}
    choices.pop("_copy_without_render", None)
    assert choices == OPTIONS


@pytest.mark.parametrize(
    "context",
    [
        {"project_slug": "1-not-a-module"},
        {"project_slug": "my-shop"},
        {"project_slug": "café"},
        {"project_name": 'The "Best" Shop'},
        # Names the project imports: a project named so would shadow them.
        *({"project_slug": name} for name in ("django", "reflex", "reflex_django")),
        *({"project_slug": name} for name in ("shop", "config", "tests")),
        # The standard library's modules (sys.stdlib_module_names).
        *({"project_slug": name} for name in ("json", "email", "asyncio", "secrets", "types")),
        # Not email addresses.
        *({"email": email} for email in ("not-an-email", "a@b", "a b@example.com", "@example.com")),
    ],
    ids=lambda context: "=".join(*context.items()),
)
def test_unusable_values_are_refused_before_anything_is_written(tmp_path, context):
    with pytest.raises(FailedHookException):
        bake(tmp_path, **context)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "context",
    [
        {"project_slug": "tea_room2"},
        {"project_slug": "json_shop"},  # a standard module's name, inside another
        {"email": "ada.lovelace+shop@mail.example.org"},
    ],
    ids=lambda context: "=".join(*context.items()),
)
def test_usable_values_are_accepted(tmp_path, context):
    project = bake(tmp_path, **context)
    assert (project / "manage.py").is_file()


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_a_bake_is_ruff_clean(baked, command):
    """What a user's first `ruff check` and `ruff format --check` say: nothing to fix."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "."], cwd=baked, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- Baking from a git repository, as `cookiecutter gh:org/...` does --------------


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def template_files() -> list[str]:
    """What a commit of this working tree holds: tracked and not-ignored files."""
    listed = git(
        "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=TEMPLATE
    ).split("\0")
    return sorted(name for name in set(listed) if name and (TEMPLATE / name).is_file())


@pytest.fixture(scope="module")
def template_repository(tmp_path_factory) -> Path:
    """This template's working tree, committed to a repository of its own."""
    repository = tmp_path_factory.mktemp("repository") / "reflex-django-starter"
    for name in template_files():
        (repository / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(TEMPLATE / name, repository / name)
    git("init", "--quiet", "--initial-branch", "main", cwd=repository)
    git("add", "--all", cwd=repository)
    git(
        "-c", "user.name=Template Tests", "-c", "user.email=tests@example.com",
        "commit", "--quiet", "--no-gpg-sign", "--message", "The template", cwd=repository,
    )  # fmt: skip
    return repository


@pytest.mark.parametrize(
    "context",
    [{}, {"database": "postgresql", "reflex_state": "redis", "use_docker": "y"}],
    ids=["default", "postgresql-redis-docker"],
)
def test_a_bake_from_a_git_repository_is_the_bake_from_the_directory(
    template_repository, tmp_path, context
):
    """``cookiecutter git+file://...`` clones it first, like ``gh:`` and ``https://``.

    A clone holds only what git holds: a template file that a .gitignore hides
    (the generated project's own .gitignore included) is missing from it.
    """
    from cookiecutter.main import cookiecutter

    # Clones go to a directory of this test's, not ~/.cookiecutters, where
    # an older clone would make cookiecutter ask whether to replace it.
    config = tmp_path / "cookiecutter.yaml"
    config.write_text(
        f'cookiecutters_dir: "{tmp_path / "clones"}"\nreplay_dir: "{tmp_path / "replay"}"\n'
    )
    project = Path(
        cookiecutter(
            f"git+file://{template_repository}",
            no_input=True,
            output_dir=str(tmp_path / "from-git"),
            config_file=str(config),
            extra_context=context,
        )
    )
    assert (tmp_path / "clones" / template_repository.name / ".git").is_dir()
    assert project.name == "my_shop"
    for name in ("manage.py", "pyproject.toml", "config/settings/base.py", ".env"):
        assert (project / name).is_file(), name
    assert leftovers(project) == []
    from_directory = bake(tmp_path / "from-directory", **context)
    assert files_of(project) == files_of(from_directory)
