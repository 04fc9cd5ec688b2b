"""Defer the one import that costs more than all the others: ``rfc3987_syntax``.

jsonschema (which Altair, nbformat and Great Expectations import) looks for ``rfc3987_syntax``
when it is installed, and that module builds an Earley parser of RFC 3987 at import time:
about 2 s of CPU, in every process, for a check ("iri" formats) that no step of this project
uses. It is installed here because jupyter-events (JupyterLab) asks for
``jsonschema[format-nongpl]``. When each report ran in a fresh kernel those 2 s were paid 28 times
per build, more than the notebooks' own work; they still are in every kernel Lab or nbconvert starts.

`install` puts a small stand-in under that name whose ``is_valid_syntax`` imports the real
module on its first call and hands over to it: nothing changes for a schema that does use the
"iri" format, it only costs when it is used. The runner calls `install` in its own process, in
its workers and, through a startup line (`KERNEL_ARGUMENT`), in every kernel it starts; the
line binds no name in the notebook's namespace. `add_to_kernelspec` writes the same line into
the project kernel's ``kernel.json`` (``make env`` and ``make kernel`` do), so that papermill,
nbconvert and JupyterLab, which start that kernel themselves, get the same lean start.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import types
from pathlib import Path

NAME = "rfc3987_syntax"
#: Passed to the kernels the runner starts (``IPKernelApp.exec_lines`` runs before any cell,
#: without a prompt number or an output); evaluates to None and binds no name.
KERNEL_ARGUMENT = "--IPKernelApp.exec_lines=__import__('pipelines.run.lazyimports').run.lazyimports.install()"
_EARLIER = "--IPKernelApp.exec_lines=__import__('pipelines."


def install() -> None:
    """Put the stand-in in place, unless the real module is already imported or absent."""
    if NAME in sys.modules or importlib.util.find_spec(NAME) is None:
        return
    stub = types.ModuleType(NAME, "stand-in: the real module is imported on the first call (pipelines.run.lazyimports)")

    def is_valid_syntax(term: str, value: str) -> bool:
        if sys.modules.get(NAME) is stub:
            del sys.modules[NAME]
        return bool(importlib.import_module(NAME).is_valid_syntax(term, value))

    stub.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[NAME] = stub


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
