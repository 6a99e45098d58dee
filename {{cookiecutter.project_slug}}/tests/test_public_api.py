"""reflex_django's public names, and a shop that uses nothing else."""

import ast
from pathlib import Path

import pytest

import reflex_django

PROJECT = Path(__file__).resolve().parents[1]


def reflex_django_imports(path: Path) -> list[tuple[str, str]]:
    """Every ``(module, name)`` that ``path`` imports from reflex_django."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reflex_django"):
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [
                (alias.name, "") for alias in node.names if alias.name.startswith("reflex_django")
            ]
    return found


@pytest.mark.parametrize("path", sorted((PROJECT / "shop").rglob("*.py")), ids=lambda p: p.name)
def test_the_shop_imports_only_public_names(path):
    for module, name in reflex_django_imports(path):
        public = (module, name in reflex_django.__all__) == ("reflex_django", True)
        assert public, (
            f"{path.name} imports {name or module!r} from {module}: use reflex_django.__all__"
        )


def test_the_check_catches_a_private_import(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text("from reflex_django.checks import probe_path\nimport reflex_django.pages\n")
    assert reflex_django_imports(bad) == [
        ("reflex_django.checks", "probe_path"),
        ("reflex_django.pages", ""),
    ]


@pytest.mark.parametrize("name", reflex_django.__all__)
def test_every_public_name_resolves_to_its_definition(name):
    value = getattr(reflex_django, name)
    assert value.__name__ == name
    assert name in dir(reflex_django)


def test_private_names_are_not_offered():
    with pytest.raises(AttributeError, match="has no attribute 'probe_path'"):
        reflex_django.probe_path  # noqa: B018
