"""The reports' Altair charts: an indicator's trend, a benchmark's milestones and bullet, the
overview's scorecard, a status history.

Every builder returns a chart whose Vega-Lite spec is complete on its own (`theme.finish`
embeds the theme's config and the language's d3 locale), so a chart looks the same whichever
Altair theme happens to be enabled, and axis numbers and dates follow the report's language.
Specs are deterministic (rows sorted, data passed as inline JSON values with ISO dates, no
selections, hence no generated ``param_N``/``view_N`` names), so a rerun renders the same
bytes (DESIGN §6). A chart never embeds more than `theme.MAX_ROWS` rows: large inputs are
aggregated before charting, not by lifting Altair's max-rows guard.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Literal

import altair as alt
import polars as pl

from pipelines.analysis import reviews
from pipelines.analysis.progress import KeyDate, Point
from pipelines.core import statuses
from pipelines.core.i18n import Precision, fmt_date, fmt_percent, fmt_value, period_precision, t
from pipelines.core.schema import MILESTONE_STATUS, RETIREMENTS
from pipelines.present.labels import fitted_axis, fitted_legend
from pipelines.present.theme import (
    CHART_WIDTH,
    INK,
    MAX_ROWS,
    MILESTONE_COLOURS,
    MILESTONE_SHAPES,
    MUTED,
    OKABE_ITO,
    STATUS_COLOURS,
    finish,
    hover,
    inline_data,
    key_date_layers,
    source_columns,
    utc_x,
)

#: The scorecard's room for bar labels, right of the full score, as a share of the axis.
LABEL_ROOM = 0.8

#: How far periods are widened, in turn, until a trend fits the row limit.
_COARSER: tuple[tuple[str | None, Precision], ...] = ((None, "day"), ("1mo", "month"), ("1y", "year"))
_PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")


def trend_rows(
    observations: pl.DataFrame,
    indicator: Mapping[str, Any],
    lang: str,
    sources: pl.DataFrame | None = None,
    budget: int = MAX_ROWS,
) -> list[dict[str, Any]]:
    """The rows a trend chart embeds: one per period and source (several values there are
    averaged, and the note says so), sorted; periods are widened to months, then years, until
    the rows fit ``budget``. Dates read as their period does: "2019" for a yearly figure."""
    unit = indicator["unit"]
    frame = observations.filter(
        (pl.col("indicator_id") == indicator["indicator_id"]) & pl.col("value").is_not_null()
    ).select("period_start", "period_end", "value", "source_id", "confidence", "note")
    for every, widened in _COARSER:  # noqa: B007 - read after the loop, which stops at the one that fits
        period = pl.col("period_start") if every is None else pl.col("period_start").dt.truncate(every)
        grouped = frame.group_by(period.alias("period"), "source_id").agg(
            pl.col("value").mean(),
            pl.col("period_end").max(),
            pl.len().alias("count"),
            pl.col("confidence").drop_nulls().unique().sort().str.join(", "),
            pl.col("note").first(),
        )
        if grouped.height <= budget:
            break
    else:
        raise ValueError(f"{grouped.height} yearly values by source still exceed {budget} rows: filter the sources")
    grouped = grouped.join(source_columns(sources, lang), on="source_id", how="left").sort("source_id", "period")
    return [
        {
            "date": row["period"].isoformat(),
            "value": row["value"],
            "source": row["source_symbol"] or row["source_label"] or row["source_id"],
            "date_label": fmt_date(
                row["period"],
                lang,
                max(widened, period_precision(row["period"], row["period_end"]), key=_PRECISIONS.index),
            ),
            "value_label": fmt_value(row["value"], unit, lang),
            "source_title": row["source_title"] or row["source_label"] or row["source_id"],
            "source_symbol": row["source_symbol"] or "",
            "confidence": _confidence_label(row["confidence"], lang),
            "note": (row["note"] or "") if row["count"] == 1 else t("mean_of_values", lang, count=row["count"]),
        }
        for row in grouped.iter_rows(named=True)
    ]


def _confidence_label(codes: str, lang: str) -> str:
    """Translated confidence tags ("primary, secondary" -> "source primaire, source secondaire")."""
    return ", ".join(t(f"confidence.{code}", lang) for code in codes.split(", ") if code)


def _target_label(target: float, unit: str, lang: str) -> str:
    """'cible 30 %': a whole-number share without decimals, as the roadmap writes it."""
    if unit == "percent":
        text = fmt_percent(target, lang, digits=0 if float(target).is_integer() else 1)
    else:
        text = fmt_value(target, unit, lang)
    return t("target_value", lang, value=text)


#: The share of the time axis, at either end, where a key date's label (read upwards along its
#: rule, from the bottom) stands where the target's label is written along that edge.
TARGET_LABEL_REACH = 0.15


def _target_side(direction: str, span: Sequence[date], key_days: Sequence[date]) -> Literal["left", "right"]:
    """Where the target's label goes: at the edge where the values start, far from their line
    (left for a value that should rise), unless a key date stands near that edge and none near
    the other: MINUJUSTH's mandate ends a fortnight before its targets, at the right edge."""
    preferred: Literal["left", "right"] = "left" if direction == "increase" else "right"
    days = [*span, *key_days]
    if not key_days or not days:
        return preferred
    first, last = min(days), max(days)
    reach = TARGET_LABEL_REACH * max((last - first).days, 1)
    near = {
        "left": any((d - first).days < reach for d in key_days),
        "right": any((last - d).days < reach for d in key_days),
    }
    other: Literal["left", "right"] = "right" if preferred == "left" else "left"
    return other if near[preferred] and not near[other] else preferred


def _name(row: Mapping[str, Any], lang: str) -> str:
    """An indicator's or milestone's name in the language (``name_fr`` / ``name_en``)."""
    return row[f"name_{lang}"]


def trend_chart(
    observations: pl.DataFrame,
    indicator: Mapping[str, Any],
    lang: str,
    sources: pl.DataFrame | None = None,
    key_dates: Sequence[KeyDate] = (),
    *,
    y_title: str | None = None,
    assessed: pl.DataFrame | None = None,
) -> alt.LayerChart:
    """An indicator's values over time (by ``period_start``) with its target and key dates.

    ``observations`` has the columns of `schema.OBSERVATIONS` (already limited to one geo
    code); ``indicator`` is a row of the indicators table (`Catalogue.indicator`). Each source
    gets its own colour and shape when there are several, so disagreeing figures stay
    visible. ``y_title`` defaults to the unit (e.g. ``t("axis.share_of_seats", lang)`` reads
    better for women's seats).

    ``assessed`` (`IndicatorView.counted_rows`) is the series the status uses: one line joins
    it across sources, the sources' figures stay as points. Where the rule counts additions
    since a date (``counts: additions_since``) the chart draws what it counts, never the
    published totals, so that the target line is read against the value the status reads.
    """
    target = indicator.get("target_value")
    counted = assessed is not None and indicator.get("counts_since") is not None
    if counted and assessed is not None:
        observations = assessed
        y_title = t("axis.counted_since", lang, since=fmt_date(indicator["counts_since"], lang))
    extra_rows = len(key_dates) + (0 if target is None else 1)
    budget = (MAX_ROWS - extra_rows) // (2 if assessed is not None else 1)
    rows = trend_rows(observations, indicator, lang, sources, budget=budget)
    x = utc_x("date", t("axis.year", lang), format="%Y", tickCount={"interval": "year", "step": 1})
    y = alt.Y("value:Q", title=y_title or t(f"unit.{indicator['unit']}", lang))
    labels = sorted({r["source"] for r in rows})
    several = len(labels) > 1
    by_source: dict[str, Any] = {}
    if several:
        legend = fitted_legend(labels)  # one legend for both channels
        by_source = {
            "color": alt.Color("source:N", title=t("source", lang), scale=alt.Scale(domain=labels), legend=legend),
            "shape": alt.Shape("source:N", title=t("source", lang), scale=alt.Scale(domain=labels), legend=legend),
        }
    tips = hover(
        [
            ("date_label", t("date", lang)),
            ("value_label", t("value", lang)),
            ("source_title", t("source", lang)),
            ("source_symbol", t("symbol", lang)),
            ("confidence", t("confidence", lang)),
            ("note", t("note", lang)),
        ],
        lang,
    )
    base = alt.Chart(inline_data(rows))
    if assessed is not None:  # one line through the series the status uses, whatever its sources
        path = [
            {"date": r["date"], "value": r["value"]} for r in trend_rows(assessed, indicator, lang, sources, budget)
        ]
        line = alt.Chart(inline_data(sorted(path, key=lambda r: r["date"]))).mark_line(color=MUTED).encode(x=x, y=y)
    else:
        line = base.mark_line().encode(
            x=x, y=y, detail=alt.Detail("source:N"), **({"color": by_source["color"]} if several else {})
        )
    layers: list[alt.Chart] = [line, base.mark_point().encode(x=x, y=y, **tips, **by_source)]
    deadline = indicator.get("target_date") if target is not None else None
    span = [date.fromisoformat(r["date"]) for r in rows] + ([deadline] if deadline else [])
    if target is not None:
        side = _target_side(indicator["direction"], span, [k.day for k in key_dates])
        target_base = alt.Chart(
            inline_data([{"target": target, "label": _target_label(target, indicator["unit"], lang)}])
        )
        layers += [
            target_base.mark_rule(strokeDash=[6, 4], strokeWidth=1.5).encode(y=alt.Y("target:Q")),
            target_base.mark_text(align=side, baseline="bottom", dx=4 if side == "left" else -4, dy=-3).encode(
                x=alt.XValue(0 if side == "left" else "width"), y=alt.Y("target:Q"), text=alt.Text("label:N")
            ),
        ]
    if (
        deadline and target is not None
    ):  # the target where it is due: a diamond at its date, read against the line of figures
        due = [
            {
                "date": deadline.isoformat(),
                "value": target,
                "label": t(
                    "target_by",
                    lang,
                    value=_target_label(target, indicator["unit"], lang),
                    date=fmt_date(deadline, lang),
                ),
            }
        ]
        layers.append(
            alt.Chart(inline_data(due))
            .mark_point(shape="diamond", size=80, filled=True, color=INK)
            .encode(x=x, y=alt.Y("value:Q"), **hover([("label", t("target", lang))], lang))
        )
    layers += key_date_layers(key_dates, lang, span=span)
    return finish(alt.layer(*layers), lang, _name(indicator, lang), 300, shows=t("chart_shows.trend", lang))


def milestone_timeline(
    events: pl.DataFrame,
    milestones: pl.DataFrame,
    lang: str,
    as_of: date,
    sources: pl.DataFrame | None = None,
    since: date | None = None,
) -> alt.LayerChart:
    """One row per milestone (named in the language, in the order given): each event a point
    coloured and shaped by status, held as a band until the next event or ``as_of``.

    The time axis runs from ``since`` (the roadmap's date) or the first event, if earlier (at
    least a year), to
    ``as_of``, which the title states. A milestone without any event up to ``as_of`` reads
    "no evidence found": not initiated is what we assume, not what a source says.
    """
    names = [_name(m, lang) for m in milestones.iter_rows(named=True)]
    statuses = list(MILESTONE_STATUS)
    status_labels = [t(f"milestone_status.{s}", lang) for s in statuses]
    rows = _event_rows(events, milestones, lang, as_of, sources)
    evidenced = {r["milestone"] for r in rows}
    silent = [n for n in names if n not in evidenced]
    start = min(
        [*(date.fromisoformat(r["date"]) for r in rows), *([since] if since else []), as_of - timedelta(days=365)]
    )
    x = alt.X(
        "date:T",
        title=t("axis.date", lang),
        scale=alt.Scale(type="utc", domain=[_utc_datetime(start), _utc_datetime(as_of)]),
    )
    y = alt.Y("milestone:N", title=None, sort=names, scale=alt.Scale(domain=names), axis=fitted_axis(names))
    colour = alt.Color(
        "status:N",
        title=t("status", lang),
        scale=alt.Scale(domain=status_labels, range=[MILESTONE_COLOURS[s] for s in statuses]),
    )
    shape = alt.Shape(
        "status:N",
        title=t("status", lang),
        scale=alt.Scale(domain=status_labels, range=[MILESTONE_SHAPES[s] for s in statuses]),
    )
    base = alt.Chart(inline_data(rows))
    layers: list[alt.Chart] = [
        base.mark_bar(height=6, opacity=0.45).encode(x=x, x2=alt.X2("end:T"), y=y, color=colour),
        base.mark_point(size=90, opacity=1).encode(
            x=x,
            y=y,
            color=colour,
            shape=shape,
            **hover(
                [
                    ("milestone", t("milestone", lang)),
                    ("date_label", t("date", lang)),
                    ("status", t("status", lang)),
                    ("description", t("description", lang)),
                    ("source", t("source", lang)),
                ],
                lang,
            ),
        ),
    ]
    if silent:
        layers.append(
            alt.Chart(inline_data([{"milestone": n, "label": t("no_evidence", lang)} for n in silent]))
            .mark_text(align="left", dx=4, fontStyle="italic", color=MUTED)
            .encode(x=alt.XValue(0), y=y, text=alt.Text("label:N"))
        )
    title = t("as_of", lang, date=fmt_date(as_of, lang))
    return finish(alt.layer(*layers), lang, title, {"step": 32}, shows=t("chart_shows.timeline", lang))


def _utc_datetime(day: date) -> alt.DateTime:
    """A date as a Vega-Lite DateTime at UTC midnight, like the ISO dates of the data."""
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def _event_rows(
    events: pl.DataFrame, milestones: pl.DataFrame, lang: str, as_of: date, sources: pl.DataFrame | None
) -> list[dict[str, Any]]:
    """Events of the listed milestones up to ``as_of``, each with the date its status ends
    (the next event, or ``as_of``), in the milestones' order, then by date, then as listed."""
    listed = milestones.select("benchmark", "milestone_id", "name_fr", "name_en").with_row_index("rank")
    frame = (
        events.with_row_index("_line")
        .filter(pl.col("date") <= as_of)
        .join(listed, on=["benchmark", "milestone_id"], how="inner")
        .join(source_columns(sources, lang), on="source_id", how="left")
        .sort("rank", "date", "_line")
        .with_columns(end=pl.col("date").shift(-1).over("rank").fill_null(as_of))
    )
    return [
        {
            "milestone": _name(row, lang),
            "date": row["date"].isoformat(),
            "end": row["end"].isoformat(),
            "date_label": fmt_date(row["date"], lang),
            "status": t(f"milestone_status.{row['status']}", lang),
            "description": row[f"description_{lang}"] or "",
            "source": row["source_label"] or row["source_id"] or "",
        }
        for row in frame.iter_rows(named=True)
    ]


def bullet_chart(
    latest: Point,
    target: float,
    baseline: Point | None,
    indicator: Mapping[str, Any],
    lang: str,
) -> alt.LayerChart:
    """The latest value as a bar against the target (black tick) and the baseline (grey
    tick), each labelled with its formatted value; ``latest`` and ``baseline`` are the
    (date, value) points of an `Assessment`, the target date comes from ``indicator``."""
    unit = indicator["unit"]
    target_date = indicator.get("target_date")
    bar_row = _bullet_row("latest", t("latest", lang), latest, unit, lang)
    tick_rows = [
        {
            "kind": "target",
            "value": target,
            "label": _target_label(target, unit, lang),
            "date_label": fmt_date(target_date, lang) if target_date else "",
        }
    ]
    if baseline is not None:
        tick_rows.append(_bullet_row("baseline", t("baseline", lang), baseline, unit, lang))
    # room right of the largest value for the bar's label ("dernière valeur 30,7 %")
    top = max([latest[1], target, *([baseline[1]] if baseline else [])])
    x = alt.X("value:Q", title=t(f"unit.{unit}", lang), scale=alt.Scale(domain=[min(0.0, latest[1]), top * 1.45]))
    tick_colour = alt.Color("kind:N", legend=None, scale=alt.Scale(domain=["target", "baseline"], range=[INK, MUTED]))
    tips = hover([("label", t("value", lang)), ("date_label", t("date", lang))], lang)
    bar = alt.Chart(inline_data([bar_row])).encode(x=x, y=alt.YValue(30), **tips)
    ticks = alt.Chart(inline_data(tick_rows)).encode(x=x, color=tick_colour, **tips)
    # the target's label above the bar, the baseline's below: close values never overprint
    layers = [
        bar.mark_bar(height=18, color=OKABE_ITO[0]),
        bar.mark_text(align="left", baseline="middle", dx=4, fontWeight="bold").encode(text=alt.Text("label:N")),
        ticks.mark_tick(thickness=3, size=34).encode(y=alt.YValue(30)),
        ticks.transform_filter(alt.datum.kind == "target")
        .mark_text(baseline="bottom", dy=-1)
        .encode(y=alt.YValue(10), text=alt.Text("label:N")),
        ticks.transform_filter(alt.datum.kind == "baseline")
        .mark_text(baseline="top", dy=1)
        .encode(y=alt.YValue(50), text=alt.Text("label:N")),
    ]
    return finish(alt.layer(*layers), lang, _name(indicator, lang), 64, shows=t("chart_shows.bullet", lang))


def _bullet_row(kind: str, word: str, point: Point, unit: str, lang: str) -> dict[str, Any]:
    """A bullet chart row: the value, "word value" as its label, and its date."""
    return {
        "kind": kind,
        "value": point[1],
        "label": f"{word} {fmt_value(point[1], unit, lang)}",
        "date_label": fmt_date(point[0], lang),
    }


def scorecard_chart(scores: pl.DataFrame, lang: str) -> alt.LayerChart:
    """One bar per benchmark with its score, coloured by progress band, in the order given.

    ``scores`` has columns ``benchmark``, ``score`` (0-1 for milestones, or an indicator's
    current status; null when unknown), ``score_basis``, ``points`` and ``max_points`` (what the
    score counts, so that a bar reads "8/9 points", never a bare ratio) and ``status`` (an id of
    `pipelines.core.statuses`; a benchmark transferred or retired is no longer assessed, so it
    has no bar; the scorecard table says why). A benchmark without a score shows its status as text
    instead of a bar.
    """
    scores = scores.filter(~pl.col("status").is_in(sorted(RETIREMENTS)))
    unknown = sorted(set(scores["status"].to_list()) - set(statuses.IDS))
    if unknown:
        raise ValueError(f"unknown status {unknown}; expected one of {list(statuses.IDS)}")
    rows = [_score_row(row, lang) for row in scores.iter_rows(named=True)]
    known = [r["score"] for r in rows if r["score"] is not None]
    low, high = min([0.0, *known]), max([1.0, *known])
    # the axis runs to the full score; the room to its right holds the labels ("8/9 points ·
    # accélération nécessaire", ~240 px), which would otherwise run off the chart's edge
    domain = [low, high + LABEL_ROOM * (high - low)]
    x_title, x_scale = t("axis.score", lang), alt.Scale(domain=domain, nice=False)
    ticks = [v / 4 for v in range(math.floor(4 * low), math.floor(4 * high) + 1)]
    x = alt.X("score:Q", title=x_title, scale=x_scale, axis=alt.Axis(values=ticks, format="~%"))
    names = [r["benchmark"] for r in rows]
    y = alt.Y("benchmark:N", title=t("benchmark", lang), sort=names, axis=fitted_axis(names))
    base = alt.Chart(inline_data(rows))
    layers = [
        base.mark_bar(height={"band": 0.7}).encode(
            x=x,
            y=y,
            color=status_colour(scores["status"].to_list(), lang),
            **hover([("benchmark", t("benchmark", lang)), ("label", t("score", lang))], lang),
        ),
        # a marker at each score, so that a score of 0 (a bar of no length) is still seen
        base.mark_point(shape="diamond", filled=True, size=70, opacity=1).encode(
            x=x, y=y, color=status_colour(scores["status"].to_list(), lang)
        ),
        base.mark_text(align="left", dx=8).encode(
            x=alt.X("at:Q", title=x_title, scale=x_scale), y=y, text=alt.Text("label:N")
        ),
        alt.Chart(inline_data([{"score": 1.0}])).mark_rule(strokeDash=[6, 4]).encode(x=x),
    ]
    return finish(alt.layer(*layers), lang, None, {"step": 28}, shows=t("chart_shows.scorecard", lang))


def _score_row(row: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """A scorecard row: the score and its band, and where the label sits (0 when unknown)."""
    status = t(f"status.{row['status']}", lang)
    score = row["score"]
    if score is None:
        counted = ""
    elif row["score_basis"] == "milestones" and row["max_points"]:
        counted = t("score_short.milestones", lang, points=row["points"], max=row["max_points"])
    else:
        counted = t("score_short.indicator", lang, share=fmt_percent(100 * score, lang, 0))
    return {
        "benchmark": row["benchmark"],
        "score": score,
        "at": 0.0 if score is None else max(score, 0.0),
        "status": status,
        "label": f"{counted} · {status}" if counted else status,
    }


def status_colour(present: Sequence[str], lang: str) -> alt.Color:
    """The colour channel of a chart of statuses: each status in its vocabulary colour, the
    legend listing only those drawn, in the vocabulary's order."""
    drawn = [s for s in statuses.IDS if s in set(present)]
    return alt.Color(
        "status:N",
        title=t("status", lang),
        scale=alt.Scale(domain=[statuses.label(s, lang) for s in drawn], range=[STATUS_COLOURS[s] for s in drawn]),
    )


def history_chart(
    history: pl.DataFrame, labels: Mapping[str, str], lang: str, title: str | None = None
) -> alt.LayerChart:
    """A status history (`pipelines.analysis.history.HISTORY`) as rows × dates of status colours, each
    cell carrying its score as text ("8/9", "42%") so that paper and a phone read it without a
    tooltip. ``labels`` names each row, keyed ``benchmark`` or ``benchmark/indicator_id``, in the
    order drawn; rows of the history not in it are left out."""
    keyed = history.with_columns(
        pl.when(pl.col("indicator_id").is_null())
        .then(pl.col("benchmark"))
        .otherwise(pl.col("benchmark") + "/" + pl.col("indicator_id"))
        .alias("_key")
    )
    rows = []
    for r in keyed.filter(pl.col("_key").is_in(list(labels))).iter_rows(named=True):
        if r["max_points"]:
            text = f"{r['points']}/{r['max_points']}"
        elif r["score"] is not None and r["status"] not in RETIREMENTS:
            text = fmt_percent(100 * r["score"], lang, 0)
        else:
            text = ""
        status = t(f"status.{r['status']}", lang)
        review = reviews.cell_words(r, lang)
        rows.append(
            {
                "row": labels[r["_key"]],
                "when": _quarter_label(r["date"], lang),
                "status": status,
                "score": text,
                "date": fmt_date(r["date"], lang),
                "ink": statuses.INK_ON_COLOUR,
                "review": review,
                "reviewed": r.get("review_state") or "",
                # the cell's text alternative (its hover text), in the page's language
                "aria": t(
                    "history.cell",
                    lang,
                    row=labels[r["_key"]],
                    date=fmt_date(r["date"], lang),
                    status=status,
                    score=f" ({text})" if text else "",
                )
                + (t("inline.separator", lang) + review if review else ""),
            }
        )
    order = list(dict.fromkeys(_quarter_label(d, lang) for d in history["date"].unique().sort().to_list()))
    x = alt.X("when:O", title=None, sort=order, axis=alt.Axis(labelAngle=-90, labelFontSize=12))
    y = alt.Y("row:N", title=None, sort=list(labels.values()), axis=fitted_axis(labels.values(), 200))
    colour = status_colour(history["status"].to_list(), lang)
    base = alt.Chart(inline_data(rows)).encode(x=x, y=y)
    tooltip = [
        alt.Tooltip("row:N", title=t("benchmark", lang)),
        alt.Tooltip("date:N", title=t("date", lang)),
        alt.Tooltip("status:N", title=t("status", lang)),
        alt.Tooltip("score:N", title=t("score", lang)),
        alt.Tooltip("review:N", title=t("review.heading", lang)),
    ]
    # the plot's width shared by the columns: where a score ("15/15", ~32 px at 12 px bold)
    # would not fit across its cell, it is written along it
    label_room = 200 if any(len(v) > 12 for v in labels.values()) else 90
    narrow = (CHART_WIDTH - label_room) / max(1, len(order)) < 36
    layers = [
        base.mark_rect(stroke="white", strokeWidth=1).encode(
            color=colour, tooltip=tooltip, description=alt.Description("aria:N")
        ),
        base.mark_text(fontSize=12, fontWeight="bold", angle=270 if narrow else 0, aria=False).encode(
            text=alt.Text("score:N"), color=alt.Color("ink:N", scale=None)
        ),
    ]
    # a reviewed cell is ringed (`REVIEW_RING`), dashed when the review is to be done again: a light
    # line edged in black on both sides reads on every status colour and on the white gaps alike
    for states, dash in ((("agreed", "changed"), []), (("stale",), [4, 3])):
        if set(states) & {r["reviewed"] for r in rows}:
            ringed = base.transform_filter(alt.FieldOneOfPredicate(field="reviewed", oneOf=list(states)))
            layers += [
                ringed.mark_rect(
                    fill="transparent", stroke=colour, strokeWidth=width, strokeDash=dash, aria=False
                ).encode(tooltip=tooltip)  # the cell beneath says the review to a screen reader
                for colour, width in ((REVIEW_EDGE, 5), (REVIEW_RING, 2))
            ]
    return finish(alt.layer(*layers), lang, title, {"step": 40 if narrow else 30}, shows=t("chart_shows.history", lang))


#: The ring drawn round a history cell whose status a reviewer judged (`history_chart`), and the
#: black that edges it.
REVIEW_RING, REVIEW_EDGE = "#ffd400", "#111111"


def _quarter_label(day: date, lang: str) -> str:
    """A history column: "T2 2021" / "Q2 2021" for a quarter's end, the date itself otherwise."""
    after = day + timedelta(days=1)
    if after.day == 1 and after.month in (1, 4, 7, 10):
        return t("quarter", lang, n=(day.month + 2) // 3, year=day.year)
    return fmt_date(day, lang)
