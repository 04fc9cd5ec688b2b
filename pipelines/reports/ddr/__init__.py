"""The report on disarmament, demobilisation and reintegration: `report.yaml` declares it."""

from pipelines.reports.ddr import panels, sums

__all__ = ["panels", "sums"]
