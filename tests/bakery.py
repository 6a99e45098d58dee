"""What the template's tests share: baking, the options, a clean environment."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parents[1]
LEFTOVER = re.compile(r"\{\{\s*cookiecutter|\{%-?\s*(if|for|raw)\b.*cookiecutter")

#: Every choice variable of cookiecutter.json, with its values, default first.
OPTIONS: dict[str, list[str]] = {
    "database": ["sqlite", "postgresql"],
    "reflex_state": ["disk", "redis"],
    "use_docker": ["n", "y"],
    "ci": ["github", "none"],
    "open_source_license": ["MIT", "BSD-3-Clause", "Apache-2.0", "Not open source"],
}
COMBINATIONS: list[dict[str, str]] = [
    dict(zip(OPTIONS, values, strict=True)) for values in itertools.product(*OPTIONS.values())
]

#: The bakes that are installed and run their own suite (test_full_runs.py), by name.
VARIANTS: dict[str, dict[str, str]] = {
    "default": {},
    "postgresql-redis": {"database": "postgresql", "reflex_state": "redis"},
}

#: Variables of the environment a generated project reads, or that would
#: steer its tools, and that the caller's shell must not decide.
LEAKY = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTEST_ADDOPTS",
    "PYTEST_CURRENT_TEST",
)


def bake(output_dir: Path, template: str | Path = TEMPLATE, **context: str) -> Path:
    return Path(
        cookiecutter(
            str(template), no_input=True, output_dir=str(output_dir), extra_context=context
        )
    )


def combination_id(combination: dict[str, str]) -> str:
    """``postgresql-redis-docker-github-Apache-2.0``: readable in a test id."""
    return "-".join(
        [
            combination["database"],
            combination["reflex_state"],
            "docker" if combination["use_docker"] == "y" else "no_docker",
            "github" if combination["ci"] == "github" else "no_ci",
            combination["open_source_license"].replace(" ", "_"),
        ]
    )


def leftovers(project: Path) -> list[str]:
    """The files of a bake that still hold cookiecutter's template syntax."""
    found = []
    for path in sorted(project.rglob("*")):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="ignore")
            if LEFTOVER.search(text):
                found.append(str(path.relative_to(project)))
    return found


def files_of(project: Path) -> set[str]:
    """Every file of a bake, relative to it, without caches."""
    return {
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.is_file() and not {"__pycache__", ".ruff_cache"} & set(path.parts)
    }


def clean_env(venv: Path | None = None, **variables: str) -> dict[str, str]:
    """This process's environment without what a project reads, plus ``variables``.

    With ``venv``, it is the environment of that virtualenv, activated.
    """
    env = {key: value for key, value in os.environ.items() if key not in LEAKY}
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
        env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", os.defpath)])
    env.update(variables)
    return env


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])
