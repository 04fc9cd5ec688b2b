"""The report on the roadmap's own figures against the data: `report.yaml` declares it."""

from pipelines.reports.roadmap_figures import charts, panels, sums

__all__ = ["charts", "panels", "sums"]
