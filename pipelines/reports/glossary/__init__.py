"""The report on the glossary: `report.yaml` declares it; `terms` lists its terms, `panels` (loaded
on first use) draws them."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.reports.glossary import panels

__all__ = ["panels"]


def __getattr__(name: str) -> ModuleType:
    """``glossary.panels`` is imported when first read (PEP 562): the message catalogues import
    ``terms`` without the panels' imports."""
    if name == "panels":
        return importlib.import_module(f"{__name__}.panels")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
