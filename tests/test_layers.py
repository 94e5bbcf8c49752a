"""The package layout is the data flow: lower layers never import higher ones, siblings never
import one another (a small import-linter, over the source's import statements)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "onrecord"
BASE = {"model", "errors", "config", "safe_yaml", "text"}
SIBLINGS = {"ingest", "extract", "resolve", "store"}
# what each layer may import from onrecord
ALLOWED = {
    "model": {"model"},
    "errors": set(),
    "config": set(),
    "safe_yaml": set(),
    "text": set(),
    **{s: BASE | {s} for s in SIBLINGS},
    "analyse": BASE | SIBLINGS | {"analyse"},
}


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def onrecord_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("onrecord"):
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("onrecord."))
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layer_imports(path):
    layer = layer_of(path)
    if layer not in ALLOWED:
        return  # pipeline, evaluate, cli, export sit above the layers and may import them
    assert onrecord_imports(path) <= ALLOWED[layer]
