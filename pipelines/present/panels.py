"""The text panels of a report (header, headline figures, milestones, data quality, sources),
as escaped HTML built from a `BenchmarkView`.

Kept out of the notebooks so that every report shows the same panel the same way, and so
that the tests can check what a reader sees (an escaped note, a link only for http(s)).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from pipelines.present.citations import source_name
from pipelines.core import geo
from pipelines.core.errors import UsageError
from pipelines.core.i18n import describe_score, fmt_date, fmt_percent, fmt_period, fmt_value, t
from pipelines.present.markup import Html, escape, join, link, table, tag
from pipelines.analysis.indicators import IndicatorView, assess
from pipelines.analysis.views import MAX_LISTED, BenchmarkView, milestone_rule

if TYPE_CHECKING:
    from pipelines.analysis.progress import KeyDate
    from pipelines.analysis.claims import Audit, Match
    from pipelines.validate.quality import BenchmarkQuality

#: The notebooks' own styles, emitted once at the top of every notebook's output. Table cells
#: are selected under ``:root`` so that they outrank JupyterLab's right-aligned
#: ``:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td`` (two classes): text reads left-aligned
#: in Lab as in the reports.
STYLE = Html("""<style>
.mr-badge{display:inline-block;padding:.15em .6em;border-radius:1em;font-weight:600;color:#fff}
.mr-achieved,.mr-on_track{background:#007a5e}.mr-needs_acceleration{background:#a86b00}
.mr-limited_progress{background:#b8460b}.mr-deterioration{background:#9c1f3c}
.mr-insufficient_data{background:#5b6470}.mr-not_assessed{background:#5b6470}.mr-transferred{background:#5b6470}.mr-retired{background:#5b6470}
.mr-criterion{border-left:4px solid #0072b2;margin:0 0 1em;padding:.2em 1em;background:#f4f8fb}
table.data{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}
:root table.data th,:root table.data td{border-bottom:1px solid #d5dbe1;padding:.3em .6em;text-align:left;vertical-align:top}
table.data th{background:#eef2f5}.mr-note{color:#4a525a;font-size:.9em}.mr-why{margin:.2em 0 0;color:#4a525a;font-size:.85em}
</style>""")


def badge(status: str, lang: str) -> Html:
    """A coloured status label; colour is never the only cue (the word is written)."""
    return Html(f'<span class="mr-badge mr-{escape(status)}">{escape(t(f"status.{status}", lang))}</span>')


def header(view: BenchmarkView) -> Html:
    """Title, the criterion as written in the roadmap, and the status at the report's date."""
    lang = view.lang
    status = t("status_at", lang, date=fmt_date(view.as_of, lang), status="")
    return join([
        STYLE,
        tag("h1", view.title),
        tag("p", criterion_label(view.roadmap["symbol"], view.benchmark["paragraph"], lang), css="mr-note"),
        Html(f'<blockquote class="mr-criterion">{escape(view.criterion)}</blockquote>') if view.has_wording
        else tag("p", view.criterion, css="mr-criterion mr-note"),
        Html(f"<p><strong>{escape(status.rstrip(' :'))}</strong> {badge(view.status, lang)}</p>"),
        tag("p", view.status_why(), css="mr-note"),
    ])


def criterion_label(symbol: str, paragraph: int | None, lang: str) -> str:
    """'Benchmark criterion (S/2021/300, para. 8)', or without a paragraph when the roadmap
    numbers none."""
    if paragraph is None:
        return t("criterion_no_paragraph", lang, symbol=symbol)
    return t("criterion", lang, symbol=symbol, paragraph=paragraph)


def headline(view: BenchmarkView, quarantined: pl.DataFrame | None = None, *, heading: bool = True) -> Html:
    """Latest figure against target, one row per indicator that has a figure or a target
    (``heading=False`` where the notebook's narrative gives the section its heading).

    An indicator with no figure reads "no published figure was found" only when none was
    supplied: where its rows were set aside at ingest (`quarantined`), it says so instead."""
    lang = view.lang
    items = view.headline()
    rows = [[h["label"], h["value"], h["target"], h["status"]] for h in items]
    held = set() if quarantined is None or quarantined.is_empty() else \
        set(quarantined["indicator_id"].drop_nulls().to_list())
    empty = [v for v in view.listed() if v.assessment.latest is None and v.regional.is_empty()]
    refused = [v.indicator[f"name_{lang}"] for v in empty if v.indicator["indicator_id"] in held]
    missing = [v.indicator[f"name_{lang}"] for v in empty
               if not v.has_target and v.indicator["indicator_id"] not in held]  # targeted ones are in the table
    if not rows and not missing and not refused:
        return Html("")
    parts: list[object] = [tag("h2", t("headline_figures", lang))] if heading else []
    if rows:
        parts.append(table([t("indicator", lang), t("latest", lang), t("target", lang), t("status", lang)], rows))
        # why each status is what it is, below the table so that it stays narrow on a phone (an
        # indicator without a target already reads "no target: not assessed" in the table)
        assessed = [h for h in items if h["assessed"]]
        if assessed:
            parts.append(Html('<ul class="mr-why">' + "".join(
                f"<li><strong>{escape(h['label'])}</strong> — {escape(h['why'])}</li>" for h in assessed) + "</ul>"))
    if refused:
        parts.append(tag("p", t("quarantined_figures", lang, names="; ".join(refused)), css="mr-note"))
    if missing:
        parts.append(tag("p", t("no_figures", lang, names="; ".join(missing)), css="mr-note"))
    if view.unlisted:
        link = data_link(t("benchmark_data", lang), "observations", view.roadmap["roadmap_id"], view.letter)
        parts.append(Html(f'<p class="mr-note">{escape(t("unlisted", lang, count=view.unlisted, most=MAX_LISTED))} '
                          f"{link}.</p>"))
    return join(parts)


def assessment_note(iv: IndicatorView, sources: pl.DataFrame, lang: str) -> Html:
    """Which series was assessed, why the status is what it is (`IndicatorView.why`) and the
    rule the roadmap file declares for it (`IndicatorView.rule`)."""
    a = iv.assessment
    label = "; ".join(_source_label(sources, s) for s in iv.sources_used) or t("not_available", lang)
    reasons = "; ".join(t(f"reason.{code}", lang) for code in a.reason.split("+"))
    text = f"{t('assessed_on', lang, source=label, reason=reasons)} {iv.why(lang)}"
    undated = iv.observations.filter(pl.col("known_rule") == "period_end").height
    if undated:  # said beside the figures, never applied silently (see schema.OBSERVATIONS)
        text = f"{text} {t('undated_rule.one' if undated == 1 else 'undated_rule', lang, count=undated)}"
    inferred = iv.observations.filter(pl.col("date_inferred").fill_null(False)).height
    if inferred:
        text = f"{text} {t('date_inferred_rule.one' if inferred == 1 else 'date_inferred_rule', lang, count=inferred)}"
    rule = iv.rule(lang)
    return join([tag("p", text, css="mr-note"), tag("p", rule, css="mr-note mr-rule") if rule else Html("")])


def regional(iv: IndicatorView, lang: str, sources: pl.DataFrame | None = None) -> Html:
    """The latest figure per region (indicators published by region), each with its source."""
    if iv.regional.is_empty():
        return Html("")
    latest = iv.regional.sort("period_end").group_by(["geo_code", "source_id"], maintain_order=True).last()
    rows = [[geo.name(r["geo_code"]), fmt_value(r["value"], iv.indicator["unit"], lang), fmt_date(r["period_end"], lang),
             source_name(sources, r["source_id"]), r["note"] or ""]
            for r in latest.sort(["geo_code", "period_end"]).iter_rows(named=True)]
    return join([
        tag("h3", f"{iv.indicator[f'name_{lang}']} — {t('regional_figures', lang).lower()}"),
        table([t("region", lang), t("value", lang), t("date", lang), t("source", lang), t("note", lang)], rows),
    ])


def milestones_summary(view: BenchmarkView, *, heading: bool = True) -> Html:
    """The milestones heading and the benchmark's points (shown above the timeline); a
    benchmark without milestones says so when the notebook's narrative heads the section."""
    lang, score = view.lang, view.milestones
    if score.rows.is_empty():
        return Html("") if heading else tag("p", t("no_milestones", lang), css="mr-note")
    summary = t("milestone_points", lang, points=score.points, max=score.max_points,
                share=fmt_percent(100 * (score.score or 0.0), lang, 0))
    return join([*([tag("h2", t("milestones", lang))] if heading else []), tag("p", summary),
                 tag("p", milestone_rule(lang), css="mr-note mr-rule")])


def milestones(view: BenchmarkView) -> Html:
    """Each milestone's status at the report's date, with the event that set it."""
    lang = view.lang
    score = view.milestones
    if score.rows.is_empty():
        return Html("")
    rows = []
    for r in score.rows.iter_rows(named=True):
        status = t(f"milestone_status.{r['status']}", lang) if r["evidence"] else t("no_evidence", lang)
        rows.append([r[f"name_{lang}"], status, fmt_date(r["date"], lang) if r["date"] else "—",
                     r[f"description_{lang}"] or "", source_name(view.sources, r["source_id"])])
    return join([
        table([t("milestone", lang), t("status", lang), t("date", lang), t("description", lang), t("source", lang)], rows),
    ])


def quality(result: object, lang: str, *, heading: bool = True) -> Html:
    """The data-quality panel: pass/fail of the rules touching this report, failing rows."""
    origin = tag("p", t(f"quality_origin.{result.origin}", lang), css="mr-note")
    held = _quarantine_part(getattr(result, "quarantined", None), lang)
    title = [tag("h2", t("data_quality", lang).capitalize())] if heading else []
    if result.errors == 0 and result.warnings == 0:
        ok = t("quality_ok_kept", lang) if held else t("quality_ok", lang)
        return join([*title, *held, tag("p", ok), origin])
    rows = [[r["severity"], r["description"], f"{r['file'] or ''} {r['line'] or ''}".strip(), r["value"] or "",
             r["detail"] or ""] for r in result.failures().head(50).iter_rows(named=True)]
    return join([
        *title,
        *held,
        tag("p", t("quality_failed", lang, errors=result.errors, warnings=result.warnings)),
        table([t("severity", lang), t("rule", lang), t("where", lang), t("value", lang), t("note", lang)], rows),
        origin,
    ])


def _quarantine_part(rows: pl.DataFrame | None, lang: str) -> list[Html]:
    """Rows of the slice that ingest set aside: how many, why and where, first of the panel
    (they never reached the rules, so "every rule passes" must not stand above them)."""
    if rows is None or rows.is_empty():
        return []
    shown = [[f"{r['file']} {r['line'] or ''}".strip(), r["column"] or "", r["value"] or "", r["reason"]]
             for r in rows.sort(["file", "line"], nulls_last=True).head(50).iter_rows(named=True)]
    return [tag("p", t("quality_quarantined", lang, count=rows.height)),
            table([t("where", lang), t("column", lang), t("value", lang), t("reason", lang)], shown)]


def sources(frame: pl.DataFrame, lang: str, heading: bool = True) -> Html:
    """Every source the report cites, linked when its address is http(s)."""
    rows = [
        [r["source_id"], link(r["title"], r["url"]), r["publisher"] or "", r["symbol"] or "",
         r["paragraph"] or "", fmt_date(r["published"], lang) if isinstance(r["published"], date) else "",
         t(f"confidence.{r['kind']}", lang)]
        for r in frame.sort("source_id").iter_rows(named=True)
    ]
    parts: list[object] = [tag("h2", t("sources", lang).capitalize())] if heading else []
    parts.append(table(["id", t("title", lang), t("publisher", lang), t("symbol", lang), t("paragraph", lang),
                        t("published", lang), t("kind", lang)], rows))
    return join(parts)


def footer(as_of: date, build_date: str, lang: str) -> Html:
    built = fmt_date(date.fromisoformat(build_date), lang) if build_date else fmt_date(as_of, lang)
    return tag("p", t("footer", lang, as_of=fmt_date(as_of, lang), build_date=built), css="mr-note")


def _source_label(frame: pl.DataFrame, source_id: str) -> str:
    rows = frame.filter(pl.col("source_id") == source_id).to_dicts()
    if not rows:
        return source_id
    row = rows[0]
    return f"{row['title']}" + (f" ({row['symbol']})" if row["symbol"] else "")


def section(title: str, parts: Iterable[object]) -> Html:
    return join([tag("h2", title), *parts])


def scorecard(frame: pl.DataFrame, lang: str) -> Html:
    """The overview's table: each benchmark's status and why, score, latest figures and its report."""
    rows = [
        [r["benchmark"], _relative_link(r["title"], r["report"]),
         join([badge(r["status"], lang), tag("p", r.get("why") or "", css="mr-why")]),
         describe_score(r["score"], r.get("score_basis"), r.get("points"), r.get("max_points"), lang),
         r["headline"]]
        for r in frame.iter_rows(named=True)
    ]
    return table([t("benchmark", lang), t("report", lang), t("status", lang), t("score", lang),
                  t("latest_figures", lang)], rows)


def _relative_link(label: str, href: str) -> Html:
    """A link to a sibling report file (a plain file name, nothing else is accepted)."""
    if not re.fullmatch(r"[a-z0-9-]+\.html", href):
        return escape(label)
    return Html(f'<a href="{escape(href)}">{escape(label)}</a>')


def data_link(label: str, table_name: str, roadmap: str, benchmark: str | None = None) -> Html:
    """A link from a report in reports/<roadmap>/<lang>/ to a CSV that render writes in
    reports/data/<roadmap>/ (`render.DOWNLOADS`, `pipelines.render.export`); names are checked so no
    data can shape the address."""
    name = table_name if benchmark is None else f"{table_name}-{benchmark}"
    if not re.fullmatch(r"[a-z_]+(-[A-Za-z0-9_-]+)?", name) or not re.fullmatch(r"[a-z0-9-]+", roadmap):
        return escape(label)
    return Html(f'<a href="../../data/{escape(roadmap)}/{escape(name)}.csv">{escape(label)}</a>')


# --- women quota and DDR ---
# Panels of the thematic reports (notebooks/women_quota.ipynb, notebooks/ddr.ipynb): the same
# look as a benchmark report, for pages that are not about one benchmark.

def thematic_header(title: str, intro: str, status: str, as_of: date, lang: str, criterion: str | None = None,
                    paragraph: int | None = None, symbol: str = "") -> Html:
    """Title, the question the report answers, the roadmap's criterion when there is one, and
    the status at the report's date (the badge of the benchmark reports)."""
    parts: list[object] = [STYLE, tag("h1", title), tag("p", intro)]
    if criterion:
        parts += [tag("p", criterion_label(symbol, paragraph, lang), css="mr-note"),
                  Html(f'<blockquote class="mr-criterion">{escape(criterion)}</blockquote>')]
    status_text = t("status_at", lang, date=fmt_date(as_of, lang), status="").rstrip(" :")
    parts.append(Html(f"<p><strong>{escape(status_text)}</strong> {badge(status, lang)}</p>"))
    return join(parts)


def figures_table(heading: str, headers: Iterable[object], rows: Iterable[Iterable[object]], note: str = "",
                  level: str = "h2") -> Html:
    """A titled table of figures, with the note saying where they come from or how they
    were computed (every number of a report is cited or labelled arithmetic)."""
    parts: list[object] = [tag(level, heading)] if heading else []
    parts.append(table(list(headers), [list(r) for r in rows]))
    if note:
        parts.append(tag("p", note, css="mr-note"))
    return join(parts)


def quality_slices(results: Iterable[object], lang: str, *, heading: bool = True) -> Html:
    """The data-quality panel of a report that reads several benchmarks' slices (results of
    `quality.results_for`): one heading, then each benchmark's results as `quality` shows them."""
    parts: list[object] = [tag("h2", t("data_quality", lang).capitalize())] if heading else []
    for result in results:
        parts.append(tag("h3", f"{t('benchmark', lang).capitalize()} {result.benchmark}"))
        if result.errors == 0 and result.warnings == 0:
            parts.append(tag("p", t("quality_ok", lang)))
        else:
            rows = [[r["severity"], r["description"], f"{r['file'] or ''} {r['line'] or ''}".strip(), r["value"] or "",
                     r["detail"] or ""] for r in result.failures().head(50).iter_rows(named=True)]
            parts += [tag("p", t("quality_failed", lang, errors=result.errors, warnings=result.warnings)),
                      table([t("severity", lang), t("rule", lang), t("where", lang), t("value", lang),
                             t("note", lang)], rows)]
        parts.append(tag("p", t(f"quality_origin.{result.origin}", lang), css="mr-note"))
    return join(parts)


# --- poverty, WASH, roadmap figures ---
# Panels of notebooks/poverty_wash.ipynb and notebooks/roadmap_figures.ipynb: which indicators
# a poverty/WASH report shows, its tables, and the tables of the roadmap-figures audit.


#: The poverty/WASH report's indicators, grouped as the report shows them.
POVERTY_WASH_GROUPS: dict[str, tuple[str, ...]] = {
    "poverty_multidimensional": ("mpi_headcount_national", "mpi_headcount_rural", "mpi_headcount_urban"),
    "poverty_monetary": ("extreme_poverty_share_3usd", "poverty_headcount_national_line"),
    "water": ("water_basic_share", "water_basic_rural_share", "water_without_basic_persons",
              "water_without_improved_persons", "water_without_improved_share"),
    "sanitation": ("sanitation_basic_share", "sanitation_basic_rural_share", "sanitation_without_basic_persons",
                   "sanitation_without_basic_share"),
    "population": ("rural_population_share", "population_total"),
}
#: Figures about rural areas, for ``indicator_set="rural"``.
RURAL_INDICATORS: frozenset[str] = frozenset({"rural_population_share", "mpi_headcount_rural",
                                              "water_basic_rural_share", "sanitation_basic_rural_share"})
#: ``indicator_set`` -> which (group, indicator) pairs it keeps. "wash" keeps the population,
#: the denominator of JMP's counts of people without a service.
INDICATOR_SETS: dict[str, Any] = {
    "all": lambda group, iid: True,
    "poverty": lambda group, iid: group.startswith("poverty_"),
    "wash": lambda group, iid: group in ("water", "sanitation") or iid == "population_total",
    "rural": lambda group, iid: iid in RURAL_INDICATORS,
}


def indicator_groups(indicator_set: str) -> list[tuple[str, list[str]]]:
    """The groups and indicators of a poverty/WASH report, in display order."""

    keep = INDICATOR_SETS.get(indicator_set)
    if keep is None:
        raise UsageError(f"unknown indicator_set {indicator_set!r}: use {', '.join(INDICATOR_SETS)}")
    groups = [(g, [i for i in ids if keep(g, i)]) for g, ids in POVERTY_WASH_GROUPS.items()]
    return [(g, ids) for g, ids in groups if ids]


def region_code(region: str, country: str) -> str:
    """The geo code a report covers: the country for "", else the region as ISO 3166-2."""

    if not region.strip():
        return country
    try:
        return geo.geography(country).to_iso(region)
    except geo.UnknownRegion as exc:
        raise UsageError(f"region: {exc}") from None


def scope_name(code: str, lang: str) -> str:
    return t("pw.scope_national", lang) if geo.is_national(code) else f"{geo.name(code)} ({code})"


def report_intro(title: str, paragraphs: Iterable[str]) -> Html:
    """A thematic report's title and the paragraphs that say what it answers and how."""
    return join([STYLE, tag("h1", title), *(tag("p", p) for p in paragraphs)])


def notes(lines: Iterable[str]) -> Html:
    """Short notes as a list (a map's caption, the method's rules)."""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return Html(f'<ul class="mr-note">{items}</ul>') if items else Html("")


def vintage_sources(sources: pl.DataFrame) -> pl.DataFrame:
    """Sources as a trend chart should name them: by id, e.g. ``jmp-2021-owid``, so that two
    releases of one series read apart in the legend and match the sources table's ids."""
    return sources.with_columns(title=pl.col("source_id"), symbol=pl.lit(None, dtype=pl.String))


def _span(frame: pl.DataFrame, lang: str) -> str:
    first, last = frame["period_start"].min(), frame["period_end"].max()
    if frame.height == 1:
        return t("pw.span_one", lang, first=_period(first, last, lang))
    return t("pw.span", lang, first=first.year, last=last.year, count=frame.height)


def _period(start: date, end: date | None, lang: str) -> str:

    return fmt_period(start, end, lang)


def series_table(observations: pl.DataFrame, indicators: pl.DataFrame, indicator_ids: Sequence[str],
                 lang: str) -> Html:
    """The latest figure of each (indicator, source) series in ``observations`` (already cut to
    one geo code and the report's date), with the span of the series."""
    rows = []
    for iid in indicator_ids:
        own = observations.filter(pl.col("indicator_id") == iid)
        if own.is_empty():
            continue
        ind = indicators.filter(pl.col("indicator_id") == iid).row(0, named=True)
        for source in sorted(set(own["source_id"].to_list())):
            series = own.filter(pl.col("source_id") == source).sort(["period_end", "period_start"])
            last = series.row(-1, named=True)
            rows.append([ind[f"name_{lang}"], fmt_value(last["value"], ind["unit"], lang), _period(last["period_start"], last["period_end"], lang),
                         _span(series, lang), source, t(f"confidence.{last['confidence']}", lang), last["note"] or ""])
    return table([t("indicator", lang), t("latest", lang), t("date", lang), t("pw.col.series", lang),
                  t("source", lang), t("confidence", lang), t("note", lang)], rows)


def indicator_quality(indicator_ids: Sequence[str], processed_dir: str | Path) -> BenchmarkQuality:
    """Validation results cut down to some indicators (a thematic report's slice), for
    `quality`: stored results when they describe the data on disk, else checked again."""
    from pipelines.validate import quality
    from pipelines.core import store

    folder = Path(processed_dir)
    stored = quality.read_stored(folder)
    if stored is not None and quality.is_current(stored, folder):
        report, origin = stored, "stored"
    else:
        from pipelines.validate.step import validate_dir

        report, _ = validate_dir(folder)
        origin = "recomputed"
    ids = tuple(sorted(indicator_ids))
    cited = set(store.read_table("observations", folder).filter(pl.col("indicator_id").is_in(list(ids)))
                ["source_id"].drop_nulls().to_list())
    return quality.BenchmarkQuality("", origin, ids, quality.restrict_to(report, "", ids, cited),
                                    quality.quarantined_rows(folder, ids))


# The roadmap's figures against the data (pipelines.analysis.claims)

def _match_cell(m: Match | None, unit: str, lang: str, sources: pl.DataFrame) -> Html:
    if m is None:
        return escape(t("not_available", lang))
    from pipelines.analysis.claims import gap_text

    value = fmt_value(m.value, unit, lang)
    gap = (f"{t('rf.gap', lang)} {gap_text(m.gap, unit, lang)}"
           f" · {t('claims.fits' if m.fits else 'claims.does_not_fit', lang)}")
    return Html(f"<strong>{escape(value)}</strong><br><span class=\"mr-note\">"
                f"{escape(_period(m.period_start, m.period_end, lang))} · {source_name(sources, m.source_id)}"
                f" · {escape(gap)}</span>")


def claims_summary(audits: Sequence[Audit], lang: str) -> Html:
    """One line per kind of claim: how many got each verdict."""
    from pipelines.analysis.claims import VERDICTS

    parts = []
    for kind in ("figure", "target"):
        mine = [a for a in audits if a.claim.kind == kind]
        if not mine:
            continue
        detail = "; ".join(f"{sum(a.verdict == v for a in mine)} {t(f'claims.verdict.{kind}.{v}', lang)}"
                           for v in VERDICTS if any(a.verdict == v for a in mine))
        parts.append(tag("p", t(f"rf.summary.{kind}", lang, count=len(mine), detail=detail)))
    return join(parts)


def claims_table(audits: Sequence[Audit], lang: str, roadmap_date: date, as_of: date,
                 sources: pl.DataFrame) -> Html:
    """Each roadmap figure, its quote, its verdict and the figures that decide and explain it."""
    rows = []
    for a in audits:
        c = a.claim
        claim_cell = Html(f"<strong>{escape(c.figure_text(lang))}</strong> — {escape(c.name(lang))}<br>"
                          f"<span class=\"mr-note\">{escape(t('rf.quote', lang, quote=c.quote_fr))}</span>")
        verdict = Html(f"<strong>{escape(a.verdict_text(lang))}</strong><br>"
                       f"<span class=\"mr-note\">{escape(t(f'claims.kind.{c.kind}', lang))}</span>")
        rows.append([f"§ {c.paragraph}", claim_cell, verdict,
                     _match_cell(a.newest, c.unit, lang, sources), _match_cell(a.best_before, c.unit, lang, sources),
                     _match_cell(a.best_any, c.unit, lang, sources)])
    when, upto = fmt_date(roadmap_date, lang), fmt_date(as_of, lang)
    return table(["§", t("rf.col.claim", lang), t("claims.verdict", lang),
                  t("rf.col.newest", lang, date=when), t("rf.col.best_before", lang, date=when),
                  t("rf.col.best_any", lang, date=upto)], rows)


def related_table(audits: Sequence[Audit], indicators: pl.DataFrame, lang: str, roadmap_date: date,
                  sources: pl.DataFrame) -> Html:
    """Nearby series' best matches up to the roadmap's date (they never decide a verdict)."""
    names = {r["indicator_id"]: r[f"name_{lang}"] for r in indicators.iter_rows(named=True)}
    rows = []
    for a in audits:
        for m in a.related:
            name = names.get(m.indicator_id, m.indicator_id)
            label = t("rf.complement", lang, name=name) if m.complement else name
            rows.append([f"§ {a.claim.paragraph}", f"{a.claim.figure_text(lang)} — {a.claim.name(lang)}", label,
                         _match_cell(m, a.claim.unit, lang, sources)])
    if not rows:
        return Html("")
    return join([tag("h2", t("rf.related_heading", lang)), tag("p", t("rf.related_note", lang), css="mr-note"),
                 table(["§", t("rf.col.claim", lang), t("rf.col.related", lang),
                        t("rf.col.best_before", lang, date=fmt_date(roadmap_date, lang))], rows)])


def trend_with_sources(series: pl.DataFrame, indicator: dict[str, Any], lang: str, sources: pl.DataFrame,
                       key_dates: Sequence[KeyDate] = ()) -> Any:
    """`charts.trend_chart` with its sources named under the title: a chart drawn from one
    source has no legend, and the reader must still see which release (vintage) it shows."""
    import altair as alt

    from pipelines.present import charts

    chart = charts.trend_chart(series, indicator, lang, vintage_sources(sources), key_dates)
    used = ", ".join(sorted(set(series["source_id"].to_list())))
    return chart.properties(title=alt.TitleParams(indicator[f"name_{lang}"],
                                                  subtitle=t("pw.chart_sources", lang, sources=used)))


#: The figures a poverty/WASH report puts in its sidecar (its headline), when selected.
POVERTY_WASH_HEADLINE: tuple[str, ...] = ("mpi_headcount_national", "extreme_poverty_share_3usd",
                                          "water_basic_share", "sanitation_basic_share", "rural_population_share")


def latest_headline(indicators: pl.DataFrame, observations: pl.DataFrame, indicator_ids: Sequence[str],
                    as_of: date, lang: str) -> list[dict[str, str]]:
    """The national series assessed for each headline indicator (`indicators.assess`: one value per
    date, the preferred source first) and its latest figure, formatted; no target is set."""

    out = []
    for iid in (i for i in POVERTY_WASH_HEADLINE if i in indicator_ids):
        view = assess(indicators.filter(pl.col("indicator_id") == iid).row(0, named=True), observations, as_of)
        if view.assessment.latest is not None:
            out.append({"indicator_id": iid, "label": view.indicator[f"name_{lang}"], "value": view.latest_text(lang),
                        "target": "—"})
    return out
