"""What the tests of the assessment share: one indicator of a benchmark's report, as a reader
of that report sees it."""

from __future__ import annotations

from pipelines.analysis import views
from pipelines.analysis.indicators import IndicatorView


def indicator_view(
    tables: views.Tables, letter: str, indicator_id: str, as_of: str | None, lang: str = "en"
) -> IndicatorView:
    """Indicator `indicator_id` in benchmark `letter`'s report of `as_of`, in `lang`."""
    view = views.benchmark_view(tables, letter, lang, as_of)
    return next(iv for iv in view.indicators if iv.indicator["indicator_id"] == indicator_id)
