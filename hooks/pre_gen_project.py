"""Refuse values that would produce a broken project, before anything is written."""

import sys

SLUG = "{{ cookiecutter.project_slug }}"
# Names and the description end up inside Python string literals.
TEXTS = {
    "project_name": """{{ cookiecutter.project_name }}""",
    "description": """{{ cookiecutter.description }}""",
}

if not SLUG.isidentifier() or not SLUG.isascii():
    sys.exit(
        f"ERROR: project_slug {SLUG!r} is not a valid Python identifier "
        "(letters, digits and underscores, not starting with a digit)."
    )
for key, value in TEXTS.items():
    if any(char in value for char in "\"\\\n{}"):
        sys.exit(f"ERROR: {key} may not contain double quotes, backslashes, braces or newlines.")
