"""Refuse values that would produce a broken project, before anything is written."""

import re
import sys

SLUG = """{{ cookiecutter.project_slug }}"""
EMAIL = """{{ cookiecutter.email }}"""
# Names and the description end up inside Python string literals.
TEXTS = {
    "project_name": """{{ cookiecutter.project_name }}""",
    "description": """{{ cookiecutter.description }}""",
}
# Packages the project imports by these names: a project named after one of
# them would be imported in its place, or hide it.
TAKEN = {"django", "reflex", "reflex_django", "shop", "config", "tests"}
# One @, no spaces, a dot in the domain: what a mail server could accept.
EMAIL_FORMAT = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def refuse(message: str) -> None:
    sys.exit(f"ERROR: {message}")


if not SLUG.isidentifier() or not SLUG.isascii():
    refuse(
        f"project_slug {SLUG!r} is not a valid Python identifier "
        "(letters, digits and underscores, not starting with a digit)."
    )
if SLUG in TAKEN:
    refuse(f"project_slug {SLUG!r} is a package the project imports: choose another name.")
if SLUG in sys.stdlib_module_names:
    refuse(
        f"project_slug {SLUG!r} is a standard-library module, which the project "
        "would shadow: choose another name."
    )
if not EMAIL_FORMAT.fullmatch(EMAIL):
    refuse(f"email {EMAIL!r} is not an email address.")
for key, value in TEXTS.items():
    if any(char in value for char in "\"\\\n{}"):
        refuse(f"{key} may not contain double quotes, backslashes, braces or newlines.")
