"""The report on poverty, water and sanitation: `report.yaml` declares it."""

from pipelines.reports.poverty_wash import panels

__all__ = ["panels"]
