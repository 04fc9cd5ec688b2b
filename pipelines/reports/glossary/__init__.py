"""The report on the glossary: `report.yaml` declares it."""

from pipelines.reports.glossary import panels

__all__ = ["panels"]
