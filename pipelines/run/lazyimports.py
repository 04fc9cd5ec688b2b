"""Defer the imports that cost more than all the others, and that nothing here uses.

* ``rfc3987_syntax``: jsonschema (which Altair, nbformat and Great Expectations import) looks for
  it when it is installed, and it builds an Earley parser of RFC 3987 at import time: about 2 s
  of CPU, in every process, for a check ("iri" formats) that no step of this project uses. It is
  installed because jupyter-events (JupyterLab) asks for ``jsonschema[format-nongpl]``. When
  each report ran in a fresh kernel those 2 s were paid 28 times per build, more than the
  notebooks' own work; they still are in every kernel Lab or nbconvert starts without the line below.
* ``scipy.stats``: Great Expectations imports it (0.7 s, with the parts of SciPy it pulls in) for
  its distribution expectations (KL divergence, KS tests), which no suite here uses; it is a
  third of what importing GX costs `validate` when one figure changed.

`install` puts a small stand-in under each name whose first attribute looked up imports the real
module and hands over to it: nothing changes for code that does use it, it only costs when it is
used. Every command of ``python -m pipelines`` calls `install` at its start (`pipelines.cli`), the
runner's workers call it and, through a startup line (`KERNEL_ARGUMENT`), every kernel the
runner starts; the line binds no name in the notebook's namespace. `add_to_kernelspec` writes
the same line into the project kernel's ``kernel.json`` (``make env`` and ``make kernel`` do),
so that papermill, nbconvert and JupyterLab, which start that kernel themselves, get the same
lean start.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The modules deferred (why: above), each with the functions its users import by name
#: (``from rfc3987_syntax import is_valid_syntax``, as jsonschema does), which the stand-in
#: offers as functions that import the real module when called. A stand-in imports the real
#: module on any other attribute looked up, except, when it names functions, the import
#: system's dunder questions; one that names none (``scipy.stats``) is a package whose
#: submodules may be imported, so its ``__path__`` imports it too.
DEFERRED: dict[str, tuple[str, ...]] = {"rfc3987_syntax": ("is_valid_syntax",), "scipy.stats": ()}
#: Deferred in the command line's own process only (``install(command=True)``, `pipelines.cli`):
#: Great Expectations imports Altair for the charts of its Data Docs, which `validate` never
#: draws (0.3-0.8 s of its import when one figure changed). A kernel imports Altair to use it,
#: and the runner's kernels import it before their first report, so there it is not deferred.
COMMAND_ONLY: dict[str, tuple[str, ...]] = {"altair": ()}
#: Passed to the kernels the runner starts (``IPKernelApp.exec_lines`` runs before any cell,
#: without a prompt number or an output); evaluates to None and binds no name.
KERNEL_ARGUMENT = "--IPKernelApp.exec_lines=__import__('pipelines.run.lazyimports').run.lazyimports.install()"
_EARLIER = "--IPKernelApp.exec_lines=__import__('pipelines."


def install(*, command: bool = False) -> None:
    """Put the stand-ins in place, each unless its real module is already imported or absent;
    `command`: in the command line's own process, those of `COMMAND_ONLY` too."""
    for name, functions in (DEFERRED | (COMMAND_ONLY if command else {})).items():
        _defer(name, functions)


def _defer(name: str, functions: tuple[str, ...]) -> None:
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)  # imports a dotted name's package (scipy: 3 ms), not the module
    except ImportError:
        return
    if spec is None:
        return
    stub = types.ModuleType(name, f"stand-in: the real module is imported on first use ({__name__})")
    stub.__spec__ = spec  # what the import system asks of a module already in sys.modules

    def __getattr__(attribute: str) -> Any:
        if functions and attribute.startswith("__"):  # ``from stub import f`` asks for ``__path__`` first
            raise AttributeError(attribute)
        if sys.modules.get(name) is stub:
            del sys.modules[name]
        return getattr(importlib.import_module(name), attribute)

    def forward(function: str) -> Callable[..., Any]:
        return lambda *args, **kwargs: __getattr__(function)(*args, **kwargs)

    stub.__getattr__ = __getattr__  # type: ignore[method-assign]
    for function in functions:
        setattr(stub, function, forward(function))
    sys.modules[name] = stub


def add_to_kernelspec(folder: str | Path) -> None:
    """Append `KERNEL_ARGUMENT` to the argv of the kernelspec in `folder` (once), in place of
    the line of an earlier layout of the package (``pipelines.lazyimports``), which no longer imports."""
    path = Path(folder) / "kernel.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    argv = [a for a in spec["argv"] if a == KERNEL_ARGUMENT or not a.startswith(_EARLIER)]
    if KERNEL_ARGUMENT not in argv:
        argv.append(KERNEL_ARGUMENT)
    if argv != spec["argv"]:
        spec["argv"] = argv
        path.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":  # python -m pipelines.run.lazyimports KERNELSPEC_FOLDER
    add_to_kernelspec(sys.argv[1])
