"""The report on women's representation against the quota: `report.yaml` declares it."""

from pipelines.reports.women_quota import panels, sums

__all__ = ["panels", "sums"]
