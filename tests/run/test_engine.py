"""The runner's papermill engine: the same executed notebook as papermill's own, written twice
a run rather than twice a cell, and still whole up to the cell that failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
import pytest
from nbconvert.preprocessors import CoalesceStreamsPreprocessor
from papermill.engines import NotebookExecutionManager

from pipelines.core import paths
from pipelines.run import engine


def _notebook(path: Path, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": paths.KERNEL_NAME, "display_name": "kernel", "language": "python"}
    nbformat.write(nb, path)
    return path


def _run(source: Path, out: Path, monkeypatch: pytest.MonkeyPatch, engine_name: str | None) -> int:
    """Run `source`; how many times the output notebook was written (the engine's saves and
    papermill's own last write)."""
    import papermill.execute

    writes: list[int] = []
    real, last = NotebookExecutionManager.save, papermill.execute.write_ipynb

    def save(self: NotebookExecutionManager, **kw: Any) -> Any:
        writes.append(1)
        return real(self, **kw)

    def write(nb: Any, path: str) -> Any:
        writes.append(1)
        return last(nb, path)

    monkeypatch.setattr(NotebookExecutionManager, "save", save)
    monkeypatch.setattr(papermill.execute, "write_ipynb", write)
    extra = {"engine_name": engine_name, "autosave_cell_every": 3600} if engine_name else {}
    try:
        pm.execute_notebook(str(source), str(out), kernel_name=paths.KERNEL_NAME, progress_bar=False, **extra)
    finally:
        monkeypatch.undo()
    return len(writes)


def test_a_run_writes_its_notebook_a_few_times_and_the_same_cells_as_papermill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _notebook(tmp_path / "in.ipynb", [f"print({n} * {n})" for n in range(12)])
    ours = _run(source, tmp_path / "ours.ipynb", monkeypatch, engine.register())
    theirs = _run(source, tmp_path / "theirs.ipynb", monkeypatch, None)
    # at the start and papermill's own at the end (no autosave: none is due within an hour), not
    # two a cell, nor the end twice
    assert ours == 2 < 2 * 12 <= theirs

    def outputs(path: Path) -> list[object]:
        """Each cell's outputs, a stream's pieces joined: a loaded kernel may send ``"16\\n"`` as
        ``"16"`` and ``"\\n"``, which a reader of the notebook sees as one output either way."""
        joined = CoalesceStreamsPreprocessor()
        return [
            joined.preprocess_cell(c, {}, i)[0].outputs for i, c in enumerate(nbformat.read(path, as_version=4).cells)
        ]

    assert outputs(tmp_path / "ours.ipynb") == outputs(tmp_path / "theirs.ipynb")


def test_a_failed_run_keeps_every_output_up_to_the_failing_cell(tmp_path: Path) -> None:
    source = _notebook(tmp_path / "in.ipynb", ["print('first')", "print('second')", "1 / 0", "print('never')"])
    out = tmp_path / "out.ipynb"
    with pytest.raises(pm.PapermillExecutionError):
        pm.execute_notebook(
            str(source), str(out), kernel_name=paths.KERNEL_NAME, progress_bar=False, engine_name=engine.register()
        )
    cells = [c for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code"]  # papermill adds a note
    texts = ["".join(o.get("text", "") for o in c.outputs) for c in cells[:2]]
    assert texts == ["first\n", "second\n"] and cells[2].outputs[0].output_type == "error" and not cells[3].outputs
