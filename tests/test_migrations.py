"""Migrations import no code of the board's apps: what a migration needs of it is
copied into the migration, so that it keeps its meaning when that code changes.

Django itself names two things by reference: a field's validators and its callable
default. The autodetector compares them with the models' by identity, so a copy
would ask for a new migration naming the app's function again; those references
(`import <app>.models`, used only inside such an option) are all that is allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("catalog", "stats", "changes", "ops", "front", "api")
MIGRATIONS = sorted(
    path for app in APPS for path in (ROOT / app / "migrations").glob("[0-9]*.py")
)
# Field options Django's serializer writes as a reference to a module's callable.
BY_REFERENCE = {"validators", "default"}


def _is_app_code(module: str) -> bool:
    """Whether `module` is app code: an app's module, not one of its migrations."""
    app, _, rest = module.partition(".")
    return app in APPS and rest.split(".")[0] != "migrations"


def _names_in_field_options(tree: ast.Module) -> set[int]:
    """The Name nodes inside a validators= or default= option, by id()."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in BY_REFERENCE:
            inside |= {id(n) for n in ast.walk(node.value) if isinstance(n, ast.Name)}
    return inside


def _only_in_field_options(tree: ast.Module, name: str) -> bool:
    inside = _names_in_field_options(tree)
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name]
    return all(id(use) in inside for use in uses)


def app_code_imports(tree: ast.Module) -> list[str]:
    """The app code a migration imports, beyond the references Django writes."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            # `from . import x` is a sibling migration; anything higher is an app.
            if node.level > 1 or (node.level == 0 and _is_app_code(module)):
                found.append(f"line {node.lineno}: from {'.' * node.level}{module}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                referenced = (
                    node in tree.body
                    and alias.asname is None
                    and alias.name.endswith(".models")
                    and _only_in_field_options(tree, alias.name.split(".")[0])
                )
                if _is_app_code(alias.name) and not referenced:
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.Call) and _is_app_code(_imported_by_name(node)):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def _imported_by_name(call: ast.Call) -> str:
    """The module an importlib.import_module("...") or __import__("...") call
    names, or ""."""
    func = call.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if called not in ("import_module", "__import__") or not call.args:
        return ""
    first = call.args[0]
    is_text = isinstance(first, ast.Constant) and isinstance(first.value, str)
    return first.value if is_text else ""


def test_every_app_s_migrations_are_read():
    assert {path.parent.parent.name for path in MIGRATIONS} == {
        "catalog",
        "stats",
        "changes",
        "ops",
    }


@pytest.mark.parametrize(
    "path", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.stem}"
)
def test_migration_imports_no_app_code(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert app_code_imports(tree) == []


@pytest.mark.parametrize(
    "source",
    [
        "from catalog import ids",
        "from catalog.search.keys import model_document",
        "from ..models import LanguageModel",
        "import stats.figures",
        "import catalog.models\nRULE = catalog.models.validate_model_id",
        "import catalog.models as m\nF = CharField(validators=[m.validate_model_id])",
        "def forwards(apps, schema_editor):\n    from changes import summaries",
        "def forwards(apps, schema_editor):\n    import ops.jobs",
        "import importlib\nIDS = importlib.import_module('catalog.ids')",
    ],
)
def test_app_code_is_found(source):
    assert app_code_imports(ast.parse(source))


def test_field_references_and_earlier_migrations_are_not_app_code():
    source = "\n".join(
        [
            "import importlib",
            "import catalog.models",
            "import changes.models",
            "from django.db import migrations, models",
            "SLUG = models.CharField(validators=[catalog.models.validate_model_id])",
            "SECRET = models.CharField(default=changes.models._token)",
            "BEFORE = importlib.import_module('catalog.migrations.0019_rank_vectors')",
        ]
    )
    assert app_code_imports(ast.parse(source)) == []
