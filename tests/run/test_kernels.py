"""The kernel a worker keeps between notebooks: a notebook sees nothing of the one before it
(names, prompt numbers, working directory), a kernel that failed or died is never lent again,
``--fresh-kernels`` gives each notebook its own, and a kernel warmed while validate runs is the
first notebook's, with what the notebooks import imported and nothing else to see. Real
kernels, run as a worker runs them."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from pipelines.core import paths
from pipelines.run import kernels
from pipelines.run.schedule import notebook_imports
from pipelines.run.worker import execute, warm


@pytest.fixture(autouse=True)
def _no_kernel_left() -> Iterator[None]:
    yield
    kernels.discard()


def _task(tmp_path: Path, name: str, cells: list[str], *, keep: bool = True) -> dict[str, object]:
    folder = tmp_path / name
    folder.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": paths.KERNEL_NAME, "display_name": "kernel", "language": "python"}
    nbformat.write(nb, folder / "in.ipynb")
    return {
        "key": name,
        "notebook": str(folder / "in.ipynb"),
        "output": str(folder / "out.ipynb"),
        "sidecar": None,
        "parameters": {},
        "cwd": str(folder),
        "kernel": paths.KERNEL_NAME,
        "cell_timeout": 60,
        "start_timeout": 60,
        "log": str(folder / "run.log"),
        "root": str(tmp_path),
        "kernel_log": str(tmp_path / "kernels.log") if keep else None,
    }


def _ran(task: dict[str, object]) -> tuple[list[str], list[int | None]]:
    """The text each code cell printed, and its prompt numbers."""
    cells = [c for c in nbformat.read(str(task["output"]), as_version=4).cells if c.cell_type == "code"]
    return ["".join(o.get("text", "") for o in c.outputs).strip() for c in cells], [c.execution_count for c in cells]


PID = "import os; print(os.getpid())"


def test_a_notebook_sees_nothing_of_the_one_before_it_in_the_same_kernel(tmp_path: Path) -> None:
    first = _task(tmp_path, "first", [PID, "leaked = 1\nimport json\nprint(leaked)", "import os; os.chdir('/')"])
    second = _task(
        tmp_path, "second", [PID, "print('leaked' in dir(), 'json' in dir())", "import os; print(os.getcwd())"]
    )
    assert execute(first)["status"] == "ok" and execute(second)["status"] == "ok"
    (pid1, *_), counts1 = _ran(first)
    (pid2, names, cwd), counts2 = _ran(second)
    assert pid1 == pid2  # the same kernel: neither its start nor the imports paid again
    assert names == "False False"  # no name of the first notebook, not even an import
    assert cwd == "second"  # its own folder (as the runner shows paths: from the root), whatever the first did
    assert counts1 == counts2 == [1, 2, 3]  # prompt numbers start again at 1


def test_a_notebook_that_failed_leaves_its_kernel_to_nobody(tmp_path: Path) -> None:
    failing = _task(tmp_path, "failing", [PID, "1 / 0"])
    after = _task(tmp_path, "after", [PID])
    assert execute(failing)["status"] == "failed"
    assert execute(after)["status"] == "ok"
    assert _ran(failing)[0][0] != _ran(after)[0][0]


def test_a_kept_kernel_that_died_between_notebooks_is_replaced(tmp_path: Path) -> None:
    first = _task(tmp_path, "first", [PID])
    assert execute(first)["status"] == "ok"
    pid = int(_ran(first)[0][0])
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    second = _task(tmp_path, "second", [PID])
    outcome = execute(second)
    assert outcome["status"] == "ok" and outcome["attempts"] == 1
    assert int(_ran(second)[0][0]) != pid


def test_fresh_kernels_give_each_notebook_its_own(tmp_path: Path) -> None:
    first, second = (_task(tmp_path, name, [PID], keep=False) for name in ("first", "second"))
    assert execute(first)["status"] == "ok" and execute(second)["status"] == "ok"
    assert _ran(first)[0][0] != _ran(second)[0][0]
    assert not (tmp_path / "kernels.log").exists()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (killed, not yet reaped by its parent) counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def test_a_warmed_kernel_is_the_first_notebooks_with_the_notebooks_imports_and_nothing_else(tmp_path: Path) -> None:
    first = _task(
        tmp_path,
        "first",
        [
            "m = __import__('sys').modules; print('colorsys' in m, 'wave' in m); del m",
            "print(sorted(n for n in dir() if not n.startswith('__') and n not in "
            "('In', 'Out', 'exit', 'quit', 'get_ipython', 'open', '_', '_i', '_ii', '_iii', "
            "'_i1', '_i2', '_ih', '_oh', '_dh')))",
        ],
    )
    # a module that is not there does not stop the warm-up: the notebook that imports it says so
    warm({**first, "modules": ["colorsys", "no_such_module_here"]})
    assert execute(first)["status"] == "ok"
    (imported, names), counts = _ran(first)
    assert imported == "True False"  # what the warm-up imported (no kernel imports colorsys by itself), only that
    assert names == "[]" and counts == [1, 2]  # no name left by the warm-up, prompts from 1


def test_the_warm_up_imports_what_the_notebooks_import(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import polars as pl\nfrom pipelines.present import charts, panels"),
            nbformat.v4.new_code_cell("%matplotlib inline\nimport wave"),  # not plain Python: left out
            nbformat.v4.new_code_cell("def f():\n    import colorsys"),  # not at the top level: left out
            nbformat.v4.new_markdown_cell("import this"),
        ]
    )
    nbformat.write(nb, tmp_path / "report.ipynb")
    assert notebook_imports([tmp_path / "report.ipynb"]) == {
        "polars",
        "pipelines.present",
        "pipelines.present.charts",
        "pipelines.present.panels",
    }


def test_a_worker_warmed_with_spares_gives_each_notebook_a_warm_kernel_never_used_before(tmp_path: Path) -> None:
    cells = [
        PID,
        "m = __import__('sys').modules; print('colorsys' in m); del m",
        "print(sorted(n for n in dir() if not n.startswith('_') and n not in ('In', 'Out', 'exit', 'quit', "
        "'get_ipython', 'open', 'os')))",
    ]
    first, second, third = (_task(tmp_path, name, cells) for name in ("first", "second", "third"))
    warm({**first, "modules": ["colorsys"], "spares": 2})
    assert len(kernels._SPARES) == 2
    spares = {int(k.manager.provisioner.process.pid) for k in kernels._SPARES}
    try:
        outcomes = [execute(task) for task in (first, second, third)]
        assert [o["status"] for o in outcomes] == ["ok", "ok", "ok"]
        ran = [_ran(task) for task in (first, second, third)]
        pids = [int(texts[0]) for texts, _ in ran]
        assert len(set(pids)) == 3  # a kernel each: none ran two notebooks
        assert set(pids[:2]) == spares  # the two started ahead, then one started for the third
        assert [texts[1] for texts, _ in ran] == ["True", "True", "False"]  # the spares held the imports
        assert [(texts[2], counts) for texts, counts in ran] == [("[]", [1, 2, 3])] * 3  # nothing else, prompts from 1
        assert kernels._KEPT is None and not _alive(pids[0]) and not _alive(pids[1])  # each stopped once used
    finally:
        kernels._FRESH = False
        kernels._discard_all()
