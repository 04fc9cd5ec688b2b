"""The data-quality panels of a report: what the rules found in the data it shows, and the
rows ingest set aside before any rule saw them.

Apart from the benchmark's panels because every kind of report shows one (a benchmark, the
thematic reports that read several slices, the poverty/WASH report that reads some
indicators), and because it is the one panel that reads validation results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from pipelines.core.i18n import has_text, t
from pipelines.present.markup import Html, join, table, tag

if TYPE_CHECKING:
    from pipelines.validate.quality import BenchmarkQuality


def quality(result: BenchmarkQuality, lang: str, *, heading: bool = True) -> Html:
    """The data-quality panel: pass/fail of the rules touching this report, failing rows."""
    origin = tag("p", t(f"quality_origin.{result.origin}", lang), css="mr-note")
    held = _quarantine_part(getattr(result, "quarantined", None), lang)
    title = [tag("h2", t("data_quality", lang).capitalize())] if heading else []
    if result.errors == 0 and result.warnings == 0:
        ok = t("quality_ok_kept", lang) if held else t("quality_ok", lang)
        return join([*title, *held, tag("p", ok), origin])
    return join([*title, *held, *_failures(result, lang), origin])


def quality_slices(results: Iterable[BenchmarkQuality], lang: str, *, heading: bool = True) -> Html:
    """The data-quality panel of a report that reads several benchmarks' slices (results of
    `quality.results_for`): one heading, then each benchmark's results as `quality` shows them."""
    parts: list[object] = [tag("h2", t("data_quality", lang).capitalize())] if heading else []
    for result in results:
        parts.append(tag("h3", f"{t('benchmark', lang).capitalize()} {result.benchmark}"))
        if result.errors == 0 and result.warnings == 0:
            parts.append(tag("p", t("quality_ok", lang)))
        else:
            parts += _failures(result, lang)
        parts.append(tag("p", t(f"quality_origin.{result.origin}", lang), css="mr-note"))
    return join(parts)


def _failures(result: BenchmarkQuality, lang: str) -> list[Html]:
    """How many errors and warnings, then the first 50 failing rows with their file and line."""
    rows = [
        [
            r["severity"],
            r["description"],
            f"{r['file'] or ''} {r['line'] or ''}".strip(),
            r["value"] or "",
            r["detail"] or "",
        ]
        for r in result.failures().head(50).iter_rows(named=True)
    ]
    return [
        tag("p", t("quality_failed", lang, errors=result.errors, warnings=result.warnings)),
        table([t("severity", lang), t("rule", lang), t("where", lang), t("value", lang), t("note", lang)], rows),
    ]


def _reason(row: dict[str, Any], lang: str) -> str:
    """Why a row was set aside, in the page's language: ingest's reason names values and rules
    in English, so a French page gives the rule's own French line (the English detail stays in
    the quarantine table and on the English page)."""
    if lang == "en":
        return row["reason"] or ""
    if has_text(f"setaside.{row['rule']}"):
        return t(f"setaside.{row['rule']}", lang)
    return t("setaside.other", lang, rule=row["rule"])


def _quarantine_part(rows: pl.DataFrame | None, lang: str) -> list[Html]:
    """Rows of the slice that ingest set aside: how many, why and where, first of the panel
    (they never reached the rules, so "every rule passes" must not stand above them)."""
    if rows is None or rows.is_empty():
        return []
    shown = [
        [f"{r['file']} {r['line'] or ''}".strip(), r["column"] or "", r["value"] or "", _reason(r, lang)]
        for r in rows.sort(["file", "line"], nulls_last=True).head(50).iter_rows(named=True)
    ]
    return [
        tag("p", t("quality_quarantined", lang, count=rows.height)),
        table([t("where", lang), t("column", lang), t("value", lang), t("reason", lang)], shown),
    ]


def indicator_quality(indicator_ids: Sequence[str], processed_dir: str | Path) -> BenchmarkQuality:
    """Validation results cut down to some indicators (a thematic report's slice), for
    `quality`: stored results when they describe the data on disk, else checked again."""
    from pipelines.core import store
    from pipelines.validate import quality

    folder = Path(processed_dir)
    stored = quality.read_stored(folder)
    if stored is not None and quality.is_current(stored, folder):
        report, origin = stored, "stored"
    else:
        from pipelines.validate.step import validate_dir

        report, _ = validate_dir(folder)
        origin = "recomputed"
    ids = tuple(sorted(indicator_ids))
    cited = set(
        store.read_table("observations", folder)
        .filter(pl.col("indicator_id").is_in(list(ids)))["source_id"]
        .drop_nulls()
        .to_list()
    )
    return quality.BenchmarkQuality(
        "", origin, ids, quality.restrict_to(report, "", ids, cited), quality.quarantined_rows(folder, ids)
    )
