"""The notebooks tell their story: the narrative in twin markdown cells, French and English, a
cell per section that shows an analyst the data behind it, the logic left in the package.

What a reader relies on: a page in one language carries that language's narrative and none of
the other's; the cells meant for JupyterLab (the notebook's how-to, the data tables) never reach
a page; the panels display themselves in Jupyter, with no ``HTML(...)`` around them."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from IPython.core.formatters import DisplayFormatter

from pipelines.core import paths
from pipelines.present import panels
from pipelines.render.drawing import Charts
from pipelines.render.notebook import notebook_parts, notebook_title

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
#: The cap on a notebook's code: the sums live in pipelines/, a notebook wires and tells.
MAX_CODE_LINES = 150


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.metadata.get("tags", []))


def _lang(cell: nbformat.NotebookNode) -> str:
    found = [t for t in _tags(cell) if t.startswith("lang-")]
    assert len(found) == 1, f"a narrative cell is tagged with exactly one language: {cell.source[:60]!r}"
    return found[0]


def _headings(source: str) -> list[str]:
    return [line.split(" ", 1)[0] for line in source.splitlines() if re.match(r"#+ ", line)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_narrative_cell_has_its_twin_in_the_other_language(path: Path) -> None:
    cells = nbformat.read(path, as_version=4).cells
    narrative = [i for i, c in enumerate(cells) if c.cell_type == "markdown"]
    assert len(narrative) >= 4, f"{path.name}: the story is told in markdown, not in comments"
    for i in narrative:
        if _lang(cells[i]) != "lang-fr":
            assert i > 0 and cells[i - 1].cell_type == "markdown" and _lang(cells[i - 1]) == "lang-fr", (
                f"{path.name} cell {i}: an English cell follows its French twin"
            )
            continue
        twin = cells[i + 1]
        assert twin.cell_type == "markdown" and _lang(twin) == "lang-en", f"{path.name} cell {i}: no English twin"
        assert _tags(cells[i]) - {"lang-fr"} == _tags(twin) - {"lang-en"}, f"{path.name} cell {i}: twins hidden alike"
        assert _headings(cells[i].source) == _headings(twin.source), f"{path.name} cell {i}: same headings"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_opens_with_its_title_and_each_section_with_its_narrative(path: Path) -> None:
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# "), "a title for Lab first"
    assert "remove-cell" in _tags(cells[0]), "the how-to is for Lab; the page has its own title"
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown" and _lang(cell) == "lang-en":
            after = next((c for c in cells[i + 1 :] if c.cell_type == "code"), None)
            assert after is not None and ("remove-cell" not in _tags(after) or "parameters" in _tags(after)), (
                f"{path.name} cell {i}: a narrative introduces code that shows something"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_stay_thin(path: Path) -> None:
    code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    lines = sum(len(s.splitlines()) for s in code)
    assert lines <= MAX_CODE_LINES, f"{path.name}: {lines} lines of code; move the logic into pipelines/"
    assert not any(re.search(r"^\s*(def|class) ", s, re.M) for s in code), f"{path.name}: functions live in pipelines/"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_page_keeps_its_own_language_and_leaves_the_lab_cells_out(lang: str) -> None:
    new = nbformat.v4
    nb = new.new_notebook(
        cells=[
            new.new_markdown_cell("# Mode d'emploi", metadata={"tags": ["lang-fr", "remove-cell"]}),
            new.new_markdown_cell("# How to", metadata={"tags": ["lang-en", "remove-cell"]}),
            new.new_markdown_cell("## Chiffres\n\nLe récit français.", metadata={"tags": ["lang-fr"]}),
            new.new_markdown_cell("## Figures\n\nThe English story.", metadata={"tags": ["lang-en"]}),
            new.new_code_cell(outputs=[new.new_output("execute_result", data={"text/html": "<p>shown</p>"})]),
            new.new_code_cell(
                metadata={"tags": ["remove-cell"]},
                outputs=[
                    new.new_output(
                        "execute_result", data={"text/html": "<table><tr><td>data for Lab</td></tr></table>"}
                    )
                ],
            ),
        ]
    )
    page = "".join(notebook_parts(nb, Charts("svg"), lang=lang))
    mine, other = (
        ("Le récit français", "The English story") if lang == "fr" else ("The English story", "Le récit français")
    )
    assert mine in page and other not in page and "<p>shown</p>" in page
    assert "data for Lab" not in page and "Mode d" not in page and "How to" not in page
    assert notebook_title(nb, lang) == ""  # the hidden how-to never titles a page


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_real_narrative_reaches_the_page_of_its_language_only(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for lang in ("fr", "en"):
        page = "".join(notebook_parts(nb, Charts("svg"), lang=lang))
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            first = re.sub(r"[`*]", "", cell.source.split("\n\n")[-1].split(".")[0])[:40]
            shown = f"lang-{lang}" in _tags(cell) and "remove-cell" not in _tags(cell)
            assert (first in page) == shown, f"{path.name} ({lang}): {first!r}"


def test_panels_display_themselves_in_jupyter() -> None:
    data, _ = DisplayFormatter().format(panels.notes(["a < b"]))
    assert data["text/html"] == '<ul class="mr-note"><li>a &lt; b</li></ul>'
    assert "<li>" not in data["text/plain"]  # an executed notebook keeps one copy of the markup
