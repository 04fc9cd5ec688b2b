"""The report on poverty, water and sanitation: `report.yaml` declares it; `groups` lists its
groups of series, `panels` (loaded on first use) draws them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.core.lazy import submodules

if TYPE_CHECKING:
    from pipelines.reports.poverty_wash import panels

__all__ = ["panels"]
__getattr__ = submodules(__name__, "panels")
