"""Write .env with a fresh SECRET_KEY, then say what to do next."""

import secrets
from pathlib import Path

ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@%^&*(-_=+)"


def main() -> None:
    secret_key = "".join(secrets.choice(ALPHABET) for _ in range(50))
    example = Path(".env.example").read_text(encoding="utf-8")
    Path(".env").write_text(
        example.replace("DJANGO_SECRET_KEY=change-me", f"DJANGO_SECRET_KEY={secret_key}"),
        encoding="utf-8",
    )
    print(
        "\n{{ cookiecutter.project_name }} is ready in ./{{ cookiecutter.project_slug }}. Next:\n"
        "    cd {{ cookiecutter.project_slug }}\n"
        '    pip install -e ".[dev]"\n'
        "    python manage.py migrate\n"
        "    python manage.py run_reflex     # http://127.0.0.1:8000\n"
        "    pytest                          # unit and browser tests\n"
    )


if __name__ == "__main__":
    main()
