"""The data flows one way, and so do the imports: a test reads every import of the package with
`ast` (those inside functions too) and refuses a back-import.

The rule, as written at the top of `pipelines/__init__.py`: the step folders, in the order the
data flows (`ORDER`: core <- ingest <- validate <- analysis <- present <- reports <- run <- render <- tools),
each import only their own folder and those before it; nothing imports the command line
(`pipelines.cli`, `pipelines.__main__`) but ``python -m pipelines`` itself (`pipelines.__main__`):
the build that chains the steps (`pipelines.tools.report`) calls them, not the command line.
No back-import is allowed: a module that mixes sums with their presentation is split
(`analysis/ddr.py` and `present/ddr_panels.py`, for instance).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support import ROOT

PACKAGE = ROOT / "pipelines"


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
                anchor = module.split(".")[
                    : len(module.split(".")) - node.level + (1 if module.endswith("__init__") else 0)
                ]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "pipelines":
                continue
            found |= {f"{base}.{a.name}" if is_module(f"{base}.{a.name}") else base for a in node.names}
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p.read_text(encoding="utf-8"), module_name(p)) for p in PACKAGE.rglob("*.py")}


#: The folders in the order the data flows: each imports only its own folder and those before it.
ORDER = ("core", "ingest", "validate", "analysis", "present", "reports", "run", "render", "tools")
#: The entry: ``python -m pipelines`` and the command line it parses, above every folder.
ENTRY = ("pipelines", "pipelines.__main__", "pipelines.cli")


def folder(module: str) -> str | None:
    """The step folder of `module` (None for the entry modules)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else None


def _report(module: str) -> str:
    """The report folder of a module of ``pipelines.reports`` ("" for the folder itself)."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 else ""


def violations(edges: dict[str, set[str]]) -> list[str]:
    """Each import that breaks the rule, as ``importer -> imported (why)``."""
    bad = []
    for importer, targets in sorted(edges.items()):
        for target in sorted(targets):
            if target in ("pipelines.cli", "pipelines.__main__") and importer != "pipelines.__main__":
                bad.append(f"{importer} -> {target} (nothing imports the command line)")
                continue
            source, dest = folder(importer), folder(target)
            if source is None or target in ENTRY:
                continue
            if dest is None:
                bad.append(f"{importer} -> {target} (not a module of a step folder)")
            elif ORDER.index(dest) > ORDER.index(source):
                bad.append(
                    f"{importer} -> {target} ({source} imports only {', '.join(ORDER[: ORDER.index(source) + 1])})"
                )
            elif source == dest == "reports" and _report(importer) != _report(target):
                bad.append(f"{importer} -> {target} (a report imports no other report)")
    return bad


def test_the_package_keeps_its_one_way_imports() -> None:
    assert violations(graph()) == []


def test_every_module_lives_in_a_step_folder_or_is_the_entry() -> None:
    assert sorted(m for m in graph() if folder(m) is None and m not in ENTRY) == []


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        (
            "def f():\n    from pipelines.analysis import views\n",
            "pipelines.core.store",
            "pipelines.core.store -> pipelines.analysis.views",
        ),
        ("import pipelines.run.step\n", "pipelines.core.paths", "pipelines.core.paths -> pipelines.run.step"),
        ("from pipelines.cli import main\n", "pipelines.analysis.views", "pipelines.analysis.views -> pipelines.cli"),
        (
            "from pipelines.run.jobs import Job\n",
            "pipelines.analysis.views",
            "pipelines.analysis.views -> pipelines.run.jobs",
        ),
        (
            "def f():\n    from pipelines.validate import quality\n",
            "pipelines.ingest.step",
            "pipelines.ingest.step -> pipelines.validate.quality",
        ),
        (
            "from pipelines.reports.ddr import sums\n",
            "pipelines.present.panels",
            "pipelines.present.panels -> pipelines.reports.ddr.sums",
        ),
        (
            "from pipelines.reports.women_quota.sums import REPORT\n",
            "pipelines.reports.ddr.panels",
            "pipelines.reports.ddr.panels -> pipelines.reports.women_quota.sums (a report imports no other report)",
        ),
        (
            "from ..present import charts\n",
            "pipelines.analysis.views",
            "pipelines.analysis.views -> pipelines.present.charts",
        ),
    ],
)
def test_a_back_import_is_refused_even_inside_a_function(source: str, module: str, expected: str) -> None:
    edges = {**graph(), module: imports(source, module)}
    assert any(v.startswith(expected) for v in violations(edges))


def test_a_forward_import_is_accepted() -> None:
    edges = {
        "pipelines.present.panels": imports(
            "from pipelines.analysis import views\nfrom pipelines.validate import quality\n", "pipelines.present.panels"
        )
    }
    assert violations(edges) == []
