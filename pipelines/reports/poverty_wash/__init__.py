"""The report on poverty, water and sanitation: `report.yaml` declares it; `groups` lists its
groups of series, `panels` (loaded on first use) draws them."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.reports.poverty_wash import panels

__all__ = ["panels"]


def __getattr__(name: str) -> ModuleType:
    """``poverty_wash.panels`` is imported when first read (PEP 562): the message catalogues import
    ``groups`` without the panels' imports."""
    if name == "panels":
        return importlib.import_module(f"{__name__}.panels")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
