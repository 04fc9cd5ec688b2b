"""Our own judgements, checked on the real cases the audit of December 2026 found wrong
(../shared/reference/audit-2026-12.md): each status follows its rule and says why."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pipelines.analysis import views
from pipelines.analysis.indicators import assess
from pipelines.core.i18n import fmt_value
from tests.analysis.support import indicator_view


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "28.6% (2022)",
                "31 December 2022",
                "does not meet the 30.0% target",
                "not achieved by the deadline",
                "after the deadline",
                "30.7% (2024)",
            ],
        ),
        ("fr", ["28,6\u00a0% (2022)", "31 décembre 2022", "n'atteint pas la cible", "non atteint à l'échéance"]),
    ],
)
def test_parliament_is_not_achieved_by_the_deadline_and_says_so(
    real_tables: views.Tables, lang: str, words: list[str]
) -> None:
    iv = indicator_view(real_tables, "B", "women_parliament_share", None, lang)
    assert iv.assessment.status != "achieved"
    sentence = iv.why(lang)
    for word in words:
        assert word in sentence, word


def test_candidates_are_not_assessed_from_an_election_before_the_roadmap(real_tables: views.Tables) -> None:
    # the quota applies per list: the roadmap file declares no target for an aggregate share
    iv = indicator_view(real_tables, "B", "women_candidates_share", None)
    assert (iv.assessment.status, iv.assessment.reason) == ("insufficient_data", "no_target")
    assert iv.assessment.latest is not None and iv.assessment.latest[0] < date(2021, 3, 25)


def test_a_figure_from_before_the_roadmap_never_decides_alone(real_tables: views.Tables) -> None:
    indicator = {**real_tables.indicator("women_cabinet_share")}
    early = real_tables.observations.filter(pl.col("period_end") < date(2021, 3, 25))
    iv = assess(indicator, early, date(2022, 6, 30))
    assert (iv.assessment.status, iv.assessment.reason) == ("insufficient_data", "only_before_baseline")
    assert "predates the roadmap" in iv.why("en")


def test_the_charter_revision_is_dated_to_its_promulgation(real_tables: views.Tables) -> None:
    # adopted by the CNT on 3 July, promulgated on 8 July 2025 (law 2025-029): not known on 1 July
    b3 = real_tables.events.filter((pl.col("benchmark") == "B") & (pl.col("milestone_id") == "B3"))
    assert date(2025, 7, 8) in b3["date"].to_list() and date(2025, 7, 1) not in b3["date"].to_list()
    before = views.benchmark_view(real_tables, "B", "en", "2025-07-01")
    assert date(2025, 7, 8) not in before.events["date"].to_list()


def test_the_assize_session_and_its_figures_keep_their_real_dates(real_tables: views.Tables) -> None:
    tried = real_tables.observations.filter(pl.col("indicator_id") == "assize_accused_tried")
    assert tried.select("period_start", "period_end").row(0) == (date(2021, 8, 23), date(2021, 9, 30))
    share = indicator_view(real_tables, "I", "terrorism_assize_cases_tried_share", None)
    assert "4 October 2021 – 2 November 2021" in share.latest_text("en")  # announced at the closing


def test_the_fdd_cost_reads_as_the_source_wrote_it() -> None:
    assert fmt_value(38.450, "fcfa_bn", "fr") == "38,45" and fmt_value(38.450, "fcfa_bn", "en") == "38.45"
