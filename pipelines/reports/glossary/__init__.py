"""The report on the glossary: `report.yaml` declares it; `terms` lists its terms, `panels` (loaded
on first use) draws them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.core.lazy import submodules

if TYPE_CHECKING:
    from pipelines.reports.glossary import panels

__all__ = ["panels"]
__getattr__ = submodules(__name__, "panels")
