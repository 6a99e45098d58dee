"""Drop the files of options not chosen, write .env with a fresh SECRET_KEY, say what next.

It works offline: it installs nothing and reaches no network.
"""

import secrets
import shutil
from pathlib import Path

ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@%^&*(-_=+)"

#: The files each option brings, removed when it is not chosen.
UNCHOSEN = {
    "Dockerfile": "{{ cookiecutter.use_docker }}" != "y",
    "compose.yaml": "{{ cookiecutter.use_docker }}" != "y",
    ".dockerignore": "{{ cookiecutter.use_docker }}" != "y",
    ".github": "{{ cookiecutter.ci }}" != "github",
    "LICENSE": "{{ cookiecutter.open_source_license }}" == "Not open source",
}

DATABASE_STEP = """\
    # PostgreSQL: point DATABASE_URL in .env at a database of yours, e.g.
    #   createdb {{ cookiecutter.project_slug }}
    #   DATABASE_URL=postgres://USER:PASSWORD@localhost:5432/{{ cookiecutter.project_slug }}
"""
REDIS_STEP = """\
    # Redis: REDIS_URL in .env must reach a running server, e.g.
    #   apt-get install redis-server   (or: docker run -p 6379:6379 redis)
"""


def remove_unchosen() -> None:
    for name, unchosen in UNCHOSEN.items():
        path = Path(name)
        if unchosen and path.is_dir():
            shutil.rmtree(path)
        elif unchosen:
            path.unlink(missing_ok=True)


def write_env() -> None:
    secret_key = "".join(secrets.choice(ALPHABET) for _ in range(50))
    example = Path(".env.example").read_text(encoding="utf-8")
    Path(".env").write_text(
        example.replace("DJANGO_SECRET_KEY=change-me", f"DJANGO_SECRET_KEY={secret_key}"),
        encoding="utf-8",
    )


def next_steps() -> str:
    services = ""
    if "{{ cookiecutter.database }}" == "postgresql":
        services += DATABASE_STEP
    if "{{ cookiecutter.reflex_state }}" == "redis":
        services += REDIS_STEP
    return (
        "\n{{ cookiecutter.project_name }} is ready in ./{{ cookiecutter.project_slug }}. Next:\n"
        "    cd {{ cookiecutter.project_slug }}\n"
        f"{services}"
        '    pip install -e ".[dev]"\n'
        "    python manage.py migrate\n"
        "    python manage.py seed_shop      # a demo catalogue\n"
        "    python manage.py run_reflex     # http://127.0.0.1:8000\n"
        "    pytest                          # unit and browser tests\n"
    )


if __name__ == "__main__":
    remove_unchosen()
    write_env()
    print(next_steps())
