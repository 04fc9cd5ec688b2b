"""The tables a user writes (observations, milestone events, sources): raw text rows typed
and checked, and every row that cannot be read set aside in the quarantine.

Each rule names the file, line, column and value of a row it refuses and why, and the row goes
to the ``quarantine`` table (`Quarantine`) instead of the data: a row is never dropped
silently, nor attached to a milestone or a roadmap by a guess. Apart from the step
(`pipelines.ingest.step`), which finds and reads the files, because these rules are the
contract of the formats a user fills in, the same whatever file (CSV, spreadsheet) the rows
came from.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from pipelines.core import geo, paths, schema
from pipelines.core.errors import DataError, Problem, row_word
from pipelines.ingest import catalogue as catalogue_mod
from pipelines.ingest import normalise

#: ``dated``: how the row's period is known. Empty or ``stated``: the source gives it;
#: ``inferred``: the source shows no date and the period was placed by other evidence.
DATED = ("stated", "inferred")
#: What a source's ``kind`` may be.
SOURCE_KINDS = ("primary", "secondary")
#: What names a figure: a second row with the same key is set aside as a duplicate.
OBSERVATION_KEY = ("indicator_id", "geo_code", "period_start", "period_end", "source_id")
#: Columns of a raw row kept beside its problem in the quarantine (see `schema.QUARANTINE`).
CONTEXT = ("roadmap_id", "benchmark", "indicator_id")


#: Rows set aside are held in memory up to this many, then written to a temporary file.
SPILL_ROWS = 50_000


@dataclass
class Quarantine:
    """Rows set aside, with the reason; becomes the ``quarantine`` table.

    Rows refused many at once (`_set_aside`, `_check_choice`) are kept as frames, not as a
    Python record each: a file of a million junk rows is a million refusals, which as records
    held gigabytes before ingest could find the file mostly refused. Past SPILL_ROWS they are
    written to a temporary folder (`close` removes it), so that what ingest holds does not grow
    with the rows it refuses: a file mostly refused is refused whole from their counts and first
    rows (`rows`, read lazily), and the table is made (`frame`) only when no file is, when there
    are no more rows set aside than rows kept."""

    problems: list[tuple[Problem, dict[str, str | None]]] = field(default_factory=list)
    frames: list[pl.DataFrame] = field(default_factory=list)
    spilled: list[Path] = field(default_factory=list)
    folder: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Quarantine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the rows written to disk."""
        if self.folder is not None:
            self.folder.cleanup()
            self.folder, self.spilled = None, []

    def add(self, problem: Problem, about: dict[str, str | None] | None = None) -> None:
        """Set a row aside; `about` names what the row was about (`CONTEXT` columns)."""
        self.problems.append((problem, about or {}))

    def add_rows(self, rows: pl.DataFrame) -> None:
        """Set rows aside, given in the quarantine's columns (`schema.QUARANTINE`)."""
        self.frames.append(rows.select(pl.col(c).cast(t) for c, t in schema.QUARANTINE.items()))
        if sum(f.height for f in self.frames) >= SPILL_ROWS:
            if self.folder is None:
                self.folder = tempfile.TemporaryDirectory(prefix="minusma-quarantine-")
            path = Path(self.folder.name) / f"{len(self.spilled)}.arrow"
            pl.concat(self.frames).write_ipc(path)
            self.spilled.append(path)
            self.frames = []

    def rows(self) -> pl.LazyFrame:
        """Every row set aside, in no order, read lazily from memory and disk."""
        records = [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "value": p.value,
                "rule": p.rule,
                "reason": p.reason,
                **{c: about.get(c) or None for c in CONTEXT},
            }
            for p, about in self.problems
        ]
        parts = [
            pl.DataFrame(records, schema=schema.QUARANTINE).lazy(),
            *(f.lazy() for f in self.frames),
            *(pl.scan_ipc(p) for p in self.spilled),
        ]
        return pl.concat(parts)

    def frame(self) -> pl.DataFrame:
        """The quarantine table, in file and line order, in one piece (as every table ingest writes:
        Parquet's row groups follow a frame's pieces, and the file's bytes with them)."""
        return self.rows().sort(["file", "line", "column"], nulls_last=True).collect(engine="in-memory")


def _known_confidence(frame: pl.DataFrame, quarantine: Quarantine) -> pl.DataFrame:
    """``frame`` without the rows whose confidence (optional) is not one of `schema.CONFIDENCE`,
    which are set aside: the rule observations and milestone events share."""
    keep = _check_choice(
        frame,
        "confidence",
        schema.CONFIDENCE,
        "confidence",
        quarantine,
        "confidence '{value}' must be one of " + ", ".join(sorted(schema.CONFIDENCE)),
        required=False,
    )
    return frame.filter(keep)


def _refused_rows(
    frame: pl.DataFrame, column: str, rule: pl.Expr | pl.Series, reason: pl.Expr | pl.Series
) -> pl.DataFrame:
    """The rows of `frame` in the quarantine's columns: their file, line and `column`'s value,
    `rule` and `reason` (expressions over `frame`), and what each was about (`CONTEXT`, an empty
    cell as null)."""
    about = [
        pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) if c in frame.columns else pl.lit(None, pl.String).alias(c)
        for c in CONTEXT
    ]
    return frame.select(
        "file",
        "line",
        pl.lit(column).alias("column"),
        pl.col(column).cast(pl.String).alias("value"),
        rule.alias("rule"),
        reason.alias("reason"),
        *about,
    )


def _set_aside(
    frame: pl.DataFrame, problems: dict[int, normalise.ValueProblem], column: str, quarantine: Quarantine
) -> pl.Series:
    """Record per-row problems in the quarantine; returns a keep-mask."""
    if not problems:
        return pl.repeat(True, frame.height, dtype=pl.Boolean, eager=True)  # not a list of 10⁷ Trues (0.1 s a call)
    at = sorted(problems)
    picked = frame.select(pl.all().gather(at))
    quarantine.add_rows(
        _refused_rows(
            picked,
            column,
            pl.Series([problems[i].rule for i in at], dtype=pl.String),
            pl.Series([problems[i].reason for i in at], dtype=pl.String),
        )
    )
    return ~pl.int_range(frame.height, eager=True).is_in(at)


def _check_choice(
    frame: pl.DataFrame,
    column: str,
    allowed: Iterable[str],
    rule: str,
    quarantine: Quarantine,
    reason: str | Callable[[str], str],
    *,
    required: bool = True,
) -> pl.Series:
    """Quarantine rows whose `column` is not in `allowed` (or empty when required); `reason`
    is a message with ``{value}`` in it, or a function of the value.

    Vectorised: only the offending values are visited in Python, once each, so a clean file of
    millions of rows costs one `is_in` and a junk one no Python record per row.
    """
    values = frame[column]
    empty = values.is_null() | (values == "")
    bad = ~(values.is_in(sorted(set(allowed))) | empty)
    if required:
        bad = bad | empty
    if not bad.any():
        return ~bad
    refused = frame.select("file", "line", column, *(c for c in CONTEXT if c in frame.columns and c != column)).filter(
        bad
    )  # the columns the quarantine keeps, not a copy of every one
    cells = pl.col(column).fill_null("")
    if callable(reason):
        reasons = {v: reason(v) for v in refused[column].filter(refused[column] != "").unique().to_list()}
        why = cells.replace_strict(reasons, default=None, return_dtype=pl.String)
    else:
        before, _, after = reason.partition("{value}")
        why = pl.concat_str(pl.lit(before), cells, pl.lit(after))
    quarantine.add_rows(
        _refused_rows(
            refused,
            column,
            pl.when(cells == "").then(pl.lit("required")).otherwise(pl.lit(rule)),
            pl.when(cells == "").then(pl.lit(f"{column} is empty")).otherwise(why),
        )
    )
    return ~bad


def _geo_codes(
    frame: pl.DataFrame, cat: catalogue_mod.Catalogue, raw_dir: Path
) -> tuple[pl.Series, dict[int, normalise.ValueProblem]]:
    """Each row's place as an ISO code of its indicator's roadmap's country, and the rows
    whose place is empty or not of that country. Mapped once per distinct (country, text):
    regions repeat millions of times in big files."""
    country_of = dict(
        zip(
            cat.indicators["indicator_id"],
            cat.indicators["roadmap_id"].replace_strict(
                dict(zip(cat.roadmaps["roadmap_id"], cat.roadmaps["country"], strict=True)), return_dtype=pl.String
            ),
            strict=True,
        )
    )
    countries = frame["indicator_id"].replace_strict(country_of, return_dtype=pl.String)
    pairs = pl.DataFrame({"country": countries, "geo": frame["geo"]})
    mapping: dict[tuple[str, str], str] = {}
    errors: dict[tuple[str, str], str] = {}
    for country, text in pairs.drop_nulls().unique().iter_rows():
        try:
            mapping[(country, text)] = geo.geography(country, raw_dir).to_iso(text)
        except ValueError as exc:
            errors[(country, text)] = str(exc)
    keys = pairs.select(pl.concat_str("country", "geo", separator="\x1f")).to_series()
    flat = {f"{c}\x1f{t}": v for (c, t), v in mapping.items()}
    codes = keys.replace_strict(flat, default=None, return_dtype=pl.String)
    problems: dict[int, normalise.ValueProblem] = {}
    if errors:
        bad = {f"{c}\x1f{t}": reason for (c, t), reason in errors.items()}
        for i in keys.is_in(sorted(bad)).arg_true().to_list():
            problems[i] = normalise.ValueProblem("known-region", bad[keys[i]])
    geo_values = frame["geo"]
    problems.update(
        {
            i: normalise.ValueProblem("required", "geo is empty")
            for i in (geo_values.is_null() | (geo_values == "")).arg_true().to_list()
        }
    )
    return codes, problems


def _dates(
    texts: pl.Series, column: str, *, required: bool = False
) -> tuple[pl.Series, dict[int, normalise.ValueProblem]]:
    """Each cell of `texts` as a date (`normalise.parse_date`), and the problem of each row that
    is not one; an empty cell is null, or, when `required`, a problem. Each distinct text is
    read once: a column of publication dates repeats a few, or is empty, over millions of rows."""
    cells = texts.fill_null("")
    found: dict[str, date] = {}
    refused: dict[str, normalise.ValueProblem] = {}
    for text in cells.unique().to_list():
        if text or required:
            try:
                found[text] = normalise.parse_date(text, column)
            except normalise.ValueProblem as exc:
                refused[text] = exc
    dates = cells.replace_strict(found, default=None, return_dtype=pl.Date).alias(column)
    if not refused:
        return dates, {}
    return dates, {i: refused[cells[i]] for i in cells.is_in(sorted(refused)).arg_true().to_list()}


def _unknown_indicator(cat: catalogue_mod.Catalogue) -> Callable[[str], str]:
    """The reason an indicator id is refused. A spreadsheet user often writes the indicator's
    name (in French or English) where its id belongs: then the reason names the id to write."""
    names = {
        geo.fold(name): row["indicator_id"]
        for row in cat.indicators.iter_rows(named=True)
        for name in (row["name_fr"], row["name_en"])
        if name
    }

    def reason(value: str) -> str:
        found = names.get(geo.fold(value))
        if found:
            return f"'{value}' is the name of indicator '{found}', not its id: write {found}"
        return f"indicator '{value}' is not declared in any roadmap file (data/raw/roadmaps/)"

    return reason


def check_observations(
    raw: pl.DataFrame, cat: catalogue_mod.Catalogue, quarantine: Quarantine, raw_dir: Path = paths.RAW
) -> pl.DataFrame:
    """Type and normalise raw observation rows; set aside every row that cannot be. Each row is
    checked on its own, so a file can be checked a batch of rows at a time; the rows kept are
    checked against each other by `observations_table`."""
    frame = raw.with_columns(pl.col(c).str.strip_chars() for c in schema.RAW_OBSERVATION_COLUMNS)
    del raw  # the stripped copy replaces it
    frame = frame.with_columns(
        pl.col("confidence").str.to_lowercase(),
        pl.col("unit").str.to_lowercase(),
        pl.when(pl.col("note") == "").then(None).otherwise(pl.col("note")).alias("note"),
    )
    units = dict(zip(cat.indicators["indicator_id"], cat.indicators["unit"], strict=True))

    keep = _check_choice(frame, "indicator_id", units, "known-indicator", quarantine, _unknown_indicator(cat))
    frame = frame.filter(keep)
    codes, problems = _geo_codes(frame, cat, raw_dir)
    keep = _set_aside(frame, problems, "geo", quarantine)
    frame = frame.with_columns(codes.alias("geo_code")).filter(keep)

    frame = _known_confidence(frame, quarantine)

    starts, ends, problems = normalise.periods(frame["period_start"], frame["period_end"])
    for col in ("period_start", "period_end"):
        on_end = {"period_end", "period-order"}
        subset = {i: p for i, p in problems.items() if (p.rule in on_end) == (col == "period_end")}
        _set_aside(frame, subset, col, quarantine)
    frame = frame.with_columns(starts, ends)
    if problems:
        frame = frame.filter(~pl.int_range(frame.height, eager=True).is_in(sorted(problems)))

    published, problems = _dates(frame["published"], "published")
    keep = _set_aside(frame, problems, "published", quarantine)
    frame = frame.with_columns(published).filter(keep)
    frame = frame.with_columns(
        pl.when(pl.col("dated") == "").then(None).otherwise(pl.col("dated").str.to_lowercase()).alias("dated")
    )
    keep = _check_choice(
        frame,
        "dated",
        DATED,
        "dated",
        quarantine,
        "dated '{value}' must be empty, 'stated' or 'inferred' (the source shows no date)",
        required=False,
    )
    frame = (
        frame.filter(keep)
        .with_columns((pl.col("dated") == "inferred").fill_null(False).alias("date_inferred"))
        .drop("dated")
    )

    values, percent_sign, problems = normalise.numbers(frame["value"])
    numerators, denominators = normalise.ratio_parts(frame["value"])
    declared = frame["indicator_id"].replace_strict(units, return_dtype=pl.String)
    given = frame["unit"].fill_null("")
    # Unit rules, vectorised; only offending rows are visited one by one.
    is_fraction = (given == "fraction") & (declared == "percent")
    checks = pl.DataFrame(
        {
            "fraction_with_sign": is_fraction & percent_sign,
            "mismatch": ~is_fraction & (given != "") & (given != declared),
            "sign_on_count": ~is_fraction & percent_sign & (declared != "percent"),
        }
    )
    for i, row in zip(
        checks.select(pl.any_horizontal(pl.all())).to_series().arg_true().to_list(),
        checks.filter(pl.any_horizontal(pl.all())).iter_rows(named=True),
        strict=True,
    ):
        if i in problems:
            continue
        if row["fraction_with_sign"]:
            problems[i] = normalise.ValueProblem("unit", "a fraction cannot carry a percent sign")
        elif row["mismatch"]:
            problems[i] = normalise.ValueProblem(
                "unit", f"unit '{given[i]}' does not match the indicator's unit '{declared[i]}'"
            )
        else:
            problems[i] = normalise.ValueProblem(
                "unit", f"a percent sign or seat ratio on an indicator counted in '{declared[i]}'"
            )
    scale = pl.select(pl.when(is_fraction).then(100.0).otherwise(1.0)).to_series()
    keep = _set_aside(frame, problems, "value", quarantine)
    frame = frame.with_columns(
        (values * scale).alias("value"),
        pl.col("value").str.strip_chars().alias("value_text"),
        numerators,
        denominators,
        declared.alias("unit"),
    ).filter(keep)
    return frame.drop("geo")


def observations_table(checked: list[pl.DataFrame]) -> pl.DataFrame:
    """The observations table from the rows `check_observations` kept (the list is emptied):
    one row per key."""
    frame = _refuse_duplicates(_joined(checked), OBSERVATION_KEY, "value")  # in key order
    return schema.conform(frame, "observations")


def _joined(checked: list[pl.DataFrame]) -> pl.DataFrame:
    """The frames of `checked` as one frame in one piece, the list emptied so that each is let
    go: a table of 3.3 million rows in 32 batches sorted 920 MiB of fresh memory later, in one
    piece 500 MiB (1,618 -> 1,209 MiB at the peak)."""
    frame = pl.concat(checked, rechunk=True)
    checked.clear()
    return frame


def with_known_from(observations: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """Each figure's date of becoming known (`schema.OBSERVATIONS`): its own `published`, else
    its source's publication date, else the end of its period, with the rule used."""
    # a column looked up, not a join: a join gathers a second copy of every column
    published = dict(zip(sources["source_id"].to_list(), sources["published"].to_list(), strict=True))
    dated = observations.with_columns(
        pl.col("source_id").replace_strict(published, default=None, return_dtype=pl.Date).alias("_source_published")
    )
    return schema.conform(
        dated.with_columns(
            pl.coalesce("published", "_source_published", "period_end").alias("known_from"),
            pl.when(pl.col("published").is_not_null())
            .then(pl.lit("published"))
            .when(pl.col("_source_published").is_not_null())
            .then(pl.lit("source"))
            .otherwise(pl.lit("period_end"))
            .alias("known_rule"),
        ).drop("_source_published"),
        "observations",
    )


def _refuse_duplicates(frame: pl.DataFrame, key: Iterable[str], shown: str) -> pl.DataFrame:
    """The frame in key order (the order the tables are written in), or a refusal when two rows
    share a key, in one file or two, naming both files and lines, the key and its values.

    Keeping either row by the files' order would let a new file silently replace a figure (or
    an event) every page shows, so nothing is kept: the user says which one. Sorting first
    (stable) puts a key's rows side by side, so a repeat is a row whose key equals the row
    before: no hash of every key and no join, which at 10^7 rows would each hold gigabytes
    beside the table, and the table's own sort is this one."""
    key = list(key)
    ordered = frame.sort(key, maintain_order=True)
    same = pl.all_horizontal(pl.col(c).eq_missing(pl.col(c).shift(1)) for c in key)  # nulls equal, as in a key
    repeated = ordered.select((same & (pl.int_range(pl.len()) > 0)).fill_null(False)).to_series()
    if not repeated.any():
        return ordered
    at = int(repeated.arg_max() or 0)  # the first repeat in key order; the row before it is its twin
    first, second = ordered.row(at - 1, named=True), ordered.row(at, named=True)
    more = int(repeated.sum()) - 1
    values = ", ".join(f"{c}={'' if second[c] is None else second[c]}" for c in key)
    same_value = (
        "the same " + shown if first[shown] == second[shown] else f"{shown} {first[shown]} there, {second[shown]} here"
    )
    raise DataError(
        Problem(
            second["file"],
            second["line"],
            ", ".join(key),
            values,
            "unique-key",
            f"a second row for the same ({', '.join(key)}) = ({values}): {first['file']} "
            f"{row_word(first['file'])} {first['line']} has it already ({same_value}); one row per key, "
            "nothing is chosen by the files' order: remove one, or give each its own source"
            + (f"; {more} more row(s) repeat a key" if more else ""),
        )
    )


def check_milestones(raw: pl.DataFrame, cat: catalogue_mod.Catalogue, quarantine: Quarantine) -> pl.DataFrame:
    """Type milestone events; unknown milestones, statuses or dates are set aside. Row by row,
    as `check_observations`; `milestones_table` checks the rows kept against each other."""
    frame = raw.with_columns(
        pl.col(c).str.strip_chars() for c in ("roadmap_id", "benchmark", "milestone_id", "status", "confidence")
    )
    frame = frame.with_columns(pl.col("status").str.to_lowercase(), pl.col("confidence").str.to_lowercase())
    frame, problems = _milestone_roadmaps(frame, cat)
    frame = frame.filter(_set_aside(frame, problems, "roadmap_id", quarantine))
    for column, problems in _undeclared_milestones(frame, cat).items():
        frame = frame.filter(_set_aside(frame, problems, column, quarantine))
    keep = _check_choice(
        frame,
        "status",
        schema.MILESTONE_STATUS,
        "status",
        quarantine,
        "status '{value}' must be one of " + ", ".join(schema.MILESTONE_STATUS),
    )
    frame = frame.filter(keep)
    frame = _known_confidence(frame, quarantine)
    dates, problems = _dates(frame["date"], "date", required=True)
    keep = _set_aside(frame, problems, "date", quarantine)
    published, problems = _dates(frame["published"], "published")
    keep &= _set_aside(frame, problems, "published", quarantine)
    return frame.with_columns(
        dates,
        published,
        pl.col("status").replace_strict(schema.MILESTONE_STATUS, default=None, return_dtype=pl.Int8).alias("score"),
    ).filter(keep)


def milestones_table(checked: list[pl.DataFrame]) -> pl.DataFrame:
    """The milestone events table from the rows `check_milestones` kept (the list is emptied):
    one row per key."""
    frame = _refuse_duplicates(
        _joined(checked), ("roadmap_id", "benchmark", "milestone_id", "date", "source_id"), "status"
    )
    return schema.conform(frame, "milestone_events")  # in key order


def _undeclared_milestones(
    frame: pl.DataFrame, cat: catalogue_mod.Catalogue
) -> dict[str, dict[int, normalise.ValueProblem]]:
    """The events whose benchmark, or milestone, its roadmap does not declare, by the column to
    fix; each reason names the roadmap file and line where it would be declared."""
    known = set(
        zip(cat.milestones["roadmap_id"], cat.milestones["benchmark"], cat.milestones["milestone_id"], strict=True)
    )
    found: dict[str, dict[int, normalise.ValueProblem]] = {"benchmark": {}, "milestone_id": {}}
    for i, (r, b, m) in enumerate(zip(frame["roadmap_id"], frame["benchmark"], frame["milestone_id"], strict=True)):
        if (r, b, m) in known:
            continue
        if not r:
            found["milestone_id"][i] = normalise.ValueProblem(
                "known-milestone",
                f"milestone '{m}' of benchmark '{b}' is not declared in any roadmap file (data/raw/roadmaps/)",
            )
        elif (r, b) not in cat.lines:
            found["benchmark"][i] = normalise.ValueProblem(
                "known-benchmark",
                f"benchmark '{b}' is not declared in roadmap '{r}' (its benchmarks are listed in {cat.where(r)})",
            )
        else:
            found["milestone_id"][i] = normalise.ValueProblem(
                "known-milestone",
                f"milestone '{m}' is not declared under benchmark '{b}' of roadmap '{r}' ({cat.where(r, b)})",
            )
    return found


def _milestone_roadmaps(
    frame: pl.DataFrame, cat: catalogue_mod.Catalogue
) -> tuple[pl.DataFrame, dict[int, normalise.ValueProblem]]:
    """Each event's roadmap: as written, or, where the column is left empty, the one roadmap
    that declares its (benchmark, milestone_id). An unknown roadmap, or a milestone two
    roadmaps declare, is set aside naming them: events are never attached by a guess."""
    roadmaps = sorted(cat.roadmaps["roadmap_id"].to_list())
    owners: dict[tuple[str, str], list[str]] = {}
    for r, b, m in zip(
        cat.milestones["roadmap_id"], cat.milestones["benchmark"], cat.milestones["milestone_id"], strict=True
    ):
        owners.setdefault((b, m), []).append(r)
    resolved, problems = [], {}
    for i, (r, b, m) in enumerate(zip(frame["roadmap_id"], frame["benchmark"], frame["milestone_id"], strict=True)):
        if r:
            if r not in roadmaps:
                problems[i] = normalise.ValueProblem(
                    "known-roadmap",
                    f"roadmap '{r}' is not declared in data/raw/roadmaps/ (known: {', '.join(roadmaps)})",
                )
            resolved.append(r)
            continue
        found = sorted(owners.get((b, m), []))
        if len(found) > 1:
            problems[i] = normalise.ValueProblem(
                "ambiguous-roadmap",
                f"milestone '{m}' of benchmark '{b}' is declared by roadmaps "
                f"{' and '.join(found)}: write which one in a roadmap_id column",
            )
        resolved.append(found[0] if len(found) == 1 else r)
    return frame.with_columns(pl.Series("roadmap_id", resolved, dtype=pl.String)), problems


def normalise_sources(raw: pl.DataFrame, quarantine: Quarantine) -> pl.DataFrame:
    """Type the sources table; a bad kind, an unreadable publication date or dating rule, and a
    source dated neither way (or both ways) are set aside, naming the cell; a source id declared
    twice is refused (`_unique_sources`)."""
    frame = raw.with_columns(
        pl.col(c).str.strip_chars() for c in ("source_id", "kind", "published", "published_basis", "published_rule")
    )
    _unique_sources(frame)
    frame = frame.with_columns(pl.col("kind").str.to_lowercase())
    keep = _check_choice(frame, "kind", SOURCE_KINDS, "kind", quarantine, "kind '{value}' must be primary or secondary")
    frame = frame.filter(keep)
    published: list[date | None] = []
    date_problems: dict[int, normalise.ValueProblem] = {}
    rule_problems: dict[int, normalise.ValueProblem] = {}
    for i, (text, rule) in enumerate(zip(frame["published"].to_list(), frame["published_rule"].to_list(), strict=True)):
        published.append(None)
        if text and rule:
            rule_problems[i] = normalise.ValueProblem(
                "source-dated",
                "a source gives either its publication date (published) or, where none was found, "
                "a dating rule (published_rule), not both",
            )
        elif text:
            try:
                published[i] = normalise.parse_period(text, None)[0]
            except normalise.ValueProblem as exc:
                date_problems[i] = exc
        elif rule:
            try:
                published[i] = normalise.published_by_rule(rule)
            except normalise.ValueProblem as exc:
                rule_problems[i] = exc
        else:
            date_problems[i] = normalise.ValueProblem(
                "source-dated",
                "the source has no publication date: write the day it was published (and where it "
                "was found, in published_basis) or, where none can be found, a rule in published_rule, "
                f"{normalise.RULE_FORM}",
            )
    keep = _set_aside(frame, date_problems, "published", quarantine) & _set_aside(
        frame, rule_problems, "published_rule", quarantine
    )
    frame = frame.with_columns(pl.Series("published", published, dtype=pl.Date)).filter(keep)
    return schema.conform(frame.sort("source_id"), "sources")  # in key order


def _unique_sources(frame: pl.DataFrame) -> None:
    """A source id declared twice, in one file or two, is refused naming both places. Keeping
    either row by the files' order would let a new sources file silently replace the source a
    roadmap cites (and every page citing it), so nothing is kept: the user says which one."""
    ids = pl.col("source_id")
    twice = (
        frame.filter(ids.is_duplicated() & (ids.fill_null("") != ""))
        .with_columns(pl.col("file").cast(pl.String))
        .sort("source_id", "file", "line")
    )
    if not twice.height:
        return
    first, second = twice.head(2).iter_rows(named=True)
    others = twice["source_id"].n_unique() - 1
    raise DataError(
        Problem(
            second["file"],
            second["line"],
            "source_id",
            second["source_id"],
            "unique",
            f"source '{second['source_id']}' is already declared in {first['file']} {row_word(first['file'])} "
            f"{first['line']}; source ids must be unique across the sources files (rename one, or remove the copy)"
            + (f"; {others} more source id(s) are declared twice" if others else ""),
        )
    )
