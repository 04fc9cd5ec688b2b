"""Where things live. One project root, resolved once; every path the pipeline writes is
derived from it so that runs are relocatable and outputs hold no absolute path."""

from __future__ import annotations

import os
from pathlib import Path

#: The project root (the folder holding pyproject.toml). MINUSMA_ROOT overrides it, which the
#: tests and `pipelines verify` use to build into a scratch copy.
ROOT = Path(os.environ.get("MINUSMA_ROOT", Path(__file__).resolve().parents[2])).resolve()
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
EXPECTATIONS = ROOT / "expectations"
NOTEBOOKS = ROOT / "notebooks"
#: The JSON Schemas of the files people write (``roadmap.schema.json``): part of the code, found
#: beside the package whatever MINUSMA_ROOT says (a copy of the data need not hold them).
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
REPORTS = ROOT / "reports"
KERNEL_NAME = "minusma-roadmap"


def display(path: Path, root: Path = ROOT) -> str:
    """A path as shown to users and stored in outputs: relative to the project when inside it.
    Its folders are resolved but not a link it ends in: a link in data/raw is named as the user
    sees it, never by where it points (which may be a file outside the project)."""
    absolute = Path(os.path.abspath(path))
    try:
        return (absolute.parent.resolve() / absolute.name).relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
