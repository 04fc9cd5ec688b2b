"""The report on the one-page brief: `report.yaml` declares it."""

from pipelines.reports.brief import panels

__all__ = ["panels"]
