"""The data flows one way, and so do the imports: a test reads every import of the package with
`ast` (those inside functions too) and refuses a back-import.

The rule, as written at the top of `pipelines/__init__.py`: `pipelines.core` imports nothing
else of the project; nothing imports the command line (`pipelines.cli`, `pipelines.__main__`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pipelines"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """Whether `name` is a module or package of the project (not a name inside a module)."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(source: str, module: str) -> set[str]:
    """Every project module `source` imports, at any depth of the file (``from pipelines
    import a`` counts as ``pipelines.a``); relative imports resolved against `module`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "pipelines"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if module.endswith("__init__") else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "pipelines":
                continue
            found |= {f"{base}.{a.name}" if is_module(f"{base}.{a.name}") else base for a in node.names}
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p.read_text(encoding="utf-8"), module_name(p)) for p in PACKAGE.rglob("*.py")}


def violations(edges: dict[str, set[str]]) -> list[str]:
    """Each import that breaks the rule, as ``importer -> imported (why)``."""
    bad = []
    for importer, targets in sorted(edges.items()):
        for target in sorted(targets):
            if importer.startswith("pipelines.core") and target != "pipelines.core" \
                    and not target.startswith("pipelines.core."):
                bad.append(f"{importer} -> {target} (core imports nothing else of the project)")
            if target in ("pipelines.cli", "pipelines.__main__") and importer not in ("pipelines.__main__",
                                                                                      "pipelines.run.report"):
                bad.append(f"{importer} -> {target} (nothing imports the command line)")
    return bad


def test_the_package_keeps_its_one_way_imports() -> None:
    assert violations(graph()) == []


@pytest.mark.parametrize(("source", "module", "expected"), [
    ("def f():\n    from pipelines.analysis import views\n", "pipelines.core.store", "pipelines.core.store -> pipelines.analysis.views"),
    ("import pipelines.run.step\n", "pipelines.core.paths", "pipelines.core.paths -> pipelines.run.step"),
    ("from pipelines.cli import main\n", "pipelines.analysis.views", "pipelines.analysis.views -> pipelines.cli"),
])
def test_a_back_import_is_refused_even_inside_a_function(source: str, module: str, expected: str) -> None:
    edges = {**graph(), module: imports(source, module)}
    assert any(v.startswith(expected) for v in violations(edges))
