"""The shape of every table the pipeline writes, in one place.

Each processed table has a fixed column order and polars dtype, so that Parquet bytes are
reproducible, validation suites can name columns with confidence, and notebooks never guess.
Provenance columns (`file`, `line`) ride along with every data row: a failed check or a
chart tooltip can always point back to the raw file and line a figure came from.
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

#: Columns of a raw observation row as every reader hands it to normalisation: all text,
#: exactly as written in the file, plus where it was read. Readers (curated CSV, WDI, OWID,
#: HXL) produce this; `pipelines.ingest.normalise` types it.
RAW_OBSERVATION_COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "geo",
    "period_start",
    "period_end",
    "value",
    "unit",
    "source_id",
    "confidence",
    "note",
    "published",
    "dated",
)
#: Provenance added by readers: the file (path relative to the project, or as given), the
#: 1-based line in that file, and for wide formats the column the value came from.
PROVENANCE_COLUMNS: tuple[str, ...] = ("file", "line", "column")

OBSERVATIONS: dict[str, pl.DataType] = {
    "indicator_id": pl.String(),
    "geo_code": pl.String(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "value": pl.Float64(),
    # The figure as the file wrote it ("27,9 %", "4/25", a spreadsheet cell as it shows), so
    # that a message about the figure shows what its author typed, not only what it was read as.
    "value_text": pl.String(),
    # A share written as counts (``41/147``) keeps them: women and seats, integrated and
    # planned… A body's size is known only where a source wrote it; null everywhere else.
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
    "unit": pl.String(),
    "source_id": pl.String(),
    "confidence": pl.String(),
    "note": pl.String(),
    # Two times for every figure (as ALFRED keeps a real-time period beside each value): the
    # period it describes (above) and the day it became known. `published` is the row's own
    # date where the file gives one (a living page, a database release); `known_from` is that,
    # else its source's publication date, else the end of its period, and `known_rule` says
    # which ("published", "source", "period_end"), so that no report uses a figure before a
    # reader could have had it, nor an undated one without saying so.
    "published": pl.Date(),
    "known_from": pl.Date(),
    "known_rule": pl.String(),
    # True where the source gives no date for the figure and the period was inferred (an
    # undated snapshot placed by other evidence; raw column ``dated: inferred``): such a
    # figure is shown, never assessed (`pipelines.analysis.indicators.assess`).
    "date_inferred": pl.Boolean(),
    "file": pl.String(),
    "line": pl.Int64(),
}

#: `OBSERVATIONS.known_rule`, from the most to the least direct evidence of the date.
KNOWN_RULES: tuple[str, ...] = ("published", "source", "period_end")

MILESTONE_EVENTS: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "milestone_id": pl.String(),
    "date": pl.Date(),
    "status": pl.String(),
    "score": pl.Int8(),
    "description_fr": pl.String(),
    "description_en": pl.String(),
    "source_id": pl.String(),
    "confidence": pl.String(),
    # The day the event became known, where an earlier report than its source made it known
    # (optional; that report is named in its description): an event counts from the later of
    # its date and this, else its source's publication (`views.events_known`).
    "published": pl.Date(),
    "file": pl.String(),
    "line": pl.Int64(),
}

SOURCES: dict[str, pl.DataType] = {
    "source_id": pl.String(),
    "title": pl.String(),
    "publisher": pl.String(),
    "symbol": pl.String(),
    "url": pl.String(),
    # The day of publication: found (and `published_basis` says where), or computed from the
    # source's declared `published_rule` where no date was found; never both, never neither.
    "published": pl.Date(),
    "published_basis": pl.String(),
    "published_rule": pl.String(),
    "paragraph": pl.String(),
    "kind": pl.String(),
    "file": pl.String(),
    "line": pl.Int64(),
}

#: One row per roadmap file: what used to be written in code for Mali (mission, country,
#: document, titles) is data, so another mission's roadmap needs no code change.
ROADMAPS: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "symbol": pl.String(),
    "published": pl.Date(),
    "source_id": pl.String(),
    "acronym": pl.String(),
    "mission_fr": pl.String(),
    "mission_en": pl.String(),
    "country": pl.String(),
    "title_fr": pl.String(),
    "title_en": pl.String(),
    # The reports this roadmap's file lists (`pipelines.core.declarations`), as JSON: report id ->
    # role -> the roadmap's indicator ids bound to it ("{}" for none).
    "reports": pl.String(),
    # The words this roadmap's file gives its reports in its own terms, as JSON: report id ->
    # catalogue key -> {fr, en} ("{}" for none; `pipelines.core.i18n.Wording`).
    "report_words": pl.String(),
    "file": pl.String(),
}

#: Dates a roadmap's charts mark (the roadmap itself, the end of a mandate...), each with the
#: date from which it was known: a report as of an earlier date does not show it.
KEY_DATES: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "key_date_id": pl.String(),
    "date": pl.Date(),
    "known_from": pl.Date(),
    "label_fr": pl.String(),
    "label_en": pl.String(),
}

BENCHMARKS: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "paragraph": pl.Int64(),
    "title_fr": pl.String(),
    "title_en": pl.String(),
    "text_fr": pl.String(),
    "text_en": pl.String(),
    "phase": pl.String(),
    "horizon": pl.Date(),
    "kind": pl.String(),
    # The text of a benchmark may be unknown (not found in the sources read): then the note
    # says where it was sought, and a report says so instead of inventing a wording.
    "text_note_fr": pl.String(),
    "text_note_en": pl.String(),
    # A benchmark retired or transferred (to another actor) from a date on: reports from
    # that date say so, and the scorecard no longer counts it.
    "retired_on": pl.Date(),
    "retired_as": pl.String(),
    "retired_to_fr": pl.String(),
    "retired_to_en": pl.String(),
    "retired_source_id": pl.String(),
    # The date a benchmark enters the roadmap, where a later set of `benchmark_sets:` adds it
    # (null: from the roadmap's date); before it, it is not yet in force.
    "in_force_from": pl.Date(),
}

INDICATORS: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "indicator_id": pl.String(),
    "name_fr": pl.String(),
    "name_en": pl.String(),
    "unit": pl.String(),
    "direction": pl.String(),
    "cumulative": pl.Boolean(),
    "baseline_value": pl.Float64(),
    "baseline_date": pl.Date(),
    "target_value": pl.Float64(),
    "target_date": pl.Date(),
    "lower_bound": pl.Float64(),
    "upper_bound": pl.Float64(),
    "roadmap_paragraph": pl.Int64(),
    "roadmap_value": pl.Float64(),
    "roadmap_qualifier": pl.String(),
    "roadmap_quote_fr": pl.String(),
    # Series shown beside the roadmap's figure, never for its verdict (space-separated ids), and
    # those shown as their complement, 100 − x.
    "roadmap_related": pl.String(),
    "roadmap_related_complement": pl.String(),
    # The declared assessment rule (roadmap file, ``baseline`` and ``assessment``; see
    # `pipelines.ingest.indicator_rules._assessment`): the body whose figure is the baseline, the rule in
    # plain words with the roadmap's words behind it, the sources assessed (space-separated,
    # preferred first; null: all, ranked) and, for ``counts: additions_since``, the date.
    "baseline_body_since": pl.Date(),
    "baseline_body_fr": pl.String(),
    "baseline_body_en": pl.String(),
    "rule_fr": pl.String(),
    "rule_en": pl.String(),
    "rule_quote_fr": pl.String(),
    "rule_paragraph": pl.Int64(),
    "assess_series": pl.String(),
    "counts_since": pl.Date(),
    # The shortest span (years) a pace is judged on before the target date (roadmap-wide
    # ``assessment.min_pace_years``, or the indicator's own); null: any span.
    "min_pace_years": pl.Float64(),
    # The oldest (years before the report's date) a deciding figure may be before the target
    # date: an older one gives "no recent data" (roadmap-wide ``assessment.max_age_years``, or
    # the indicator's own); null: no limit.
    "max_age_years": pl.Float64(),
}

MILESTONES: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "milestone_id": pl.String(),
    "name_fr": pl.String(),
    "name_en": pl.String(),
    "due": pl.Date(),
    # What each level means for this milestone (its rubric), as JSON {level: text}; null: none.
    "rubric_fr": pl.String(),
    "rubric_en": pl.String(),
}

QUARANTINE: dict[str, pl.DataType] = {
    "file": pl.String(),
    "line": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "rule": pl.String(),
    "reason": pl.String(),
    # What the row was about, as written (null when the file did not say): a benchmark report
    # finds its own quarantined rows by these, so it never says "no figure was found" about
    # figures that were supplied and set aside.
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "indicator_id": pl.String(),
}

#: A reviewer's judgement beside the rule's (`pipelines.ingest.reviews`): one row per review of
#: a benchmark's status, a target indicator's status or a milestone's level, known from its
#: own ``review_date`` (or its roadmap's latest data date when later: `analysis.reviews.known_from`). ``reviewed_status`` is a status id (for a milestone, a level) or null
#: when the reviewer agrees with ``computed_status``; ``source_ids`` are space-separated.
REVIEWS: dict[str, pl.DataType] = {
    "roadmap_id": pl.String(),
    "benchmark": pl.String(),
    "indicator_id": pl.String(),
    "milestone_id": pl.String(),
    "review_date": pl.Date(),
    "reviewer": pl.String(),
    "computed_status": pl.String(),
    "reviewed_status": pl.String(),
    "reasons_fr": pl.String(),
    "reasons_en": pl.String(),
    "source_ids": pl.String(),
    "file": pl.String(),
    "line": pl.Int64(),
}

#: Every processed table, by the file stem it is written under in data/processed/.
TABLES: dict[str, dict[str, pl.DataType]] = {
    "observations": OBSERVATIONS,
    "milestone_events": MILESTONE_EVENTS,
    "sources": SOURCES,
    "roadmaps": ROADMAPS,
    "key_dates": KEY_DATES,
    "benchmarks": BENCHMARKS,
    "indicators": INDICATORS,
    "milestones": MILESTONES,
    "reviews": REVIEWS,
    "quarantine": QUARANTINE,
}

#: Units an indicator may be declared in. Shares are stored in percent (0-100).
UNITS: frozenset[str] = frozenset({"percent", "count", "persons", "households", "fcfa_bn", "ratio"})
#: Direction of good progress.
DIRECTIONS: frozenset[str] = frozenset({"increase", "decrease"})
#: Confidence of a figure, as tagged in the reference notes: [V-P] primary, [V-S] secondary,
#: [D] derived by arithmetic from cited figures.
CONFIDENCE: frozenset[str] = frozenset({"primary", "secondary", "derived"})
#: How a benchmark leaves a roadmap before its end (`BENCHMARKS.retired_as`).
RETIREMENTS: frozenset[str] = frozenset({"transferred", "retired"})
#: Milestone status on the Peace Accords Matrix scale, with the score each one counts for.
MILESTONE_STATUS: dict[str, int] = {
    "not_initiated": 0,
    "minimal": 1,
    "intermediate": 2,
    "full": 3,
    "reversed": 0,
}


def empty(table: str) -> pl.DataFrame:
    """An empty frame of a processed table, with its columns and dtypes."""
    return pl.DataFrame(schema=TABLES[table])


def conform(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """Order and cast a frame's columns to the table's schema (extra columns are an error)."""
    schema = TABLES[table]
    extra = set(frame.columns) - set(schema)
    if extra:
        raise ValueError(f"{table}: unexpected columns {sorted(extra)}")
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )


class Described(NamedTuple):
    """What a published column holds, in English and French, and its unit where the column
    has one (most figures carry theirs in a ``unit`` column, row by row)."""

    en: str
    fr: str
    unit: str | None = None


_FILE = Described(
    "raw file the row was read from, relative to the project", "fichier brut d'où provient la ligne, relatif au projet"
)
_LINE = Described(
    "line of that file (1-based; the header is line 1)",
    "ligne de ce fichier (à partir de 1 ; l'en-tête est la ligne 1)",
)
_ROADMAP = Described(
    "roadmap id (lower case: s-2021-300)", "identifiant de la feuille de route (minuscules : s-2021-300)"
)
_BENCHMARK = Described(
    "benchmark id within its roadmap (A, POC…)", "identifiant du critère dans sa feuille de route (A, POC…)"
)
_CONFIDENCE = Described(
    "confidence of the figure: primary, secondary or derived (by arithmetic from cited figures)",
    "fiabilité du chiffre : primary (primaire), secondary (secondaire) ou derived (calculé à partir de chiffres cités)",
)
_SOURCE = Described("source cited, a source_id of sources.csv", "source citée, un source_id de sources.csv")

#: The columns of the tables published as CSV (`pipelines.render.export.EXPORTED`), described for the
#: data package (``reports/data/datapackage.json``): their types come from the dtypes above,
#: their meaning from here, so a new column without a description fails a test.
DESCRIPTIONS: dict[str, dict[str, Described]] = {
    "observations": {
        "indicator_id": Described(
            "indicator the figure measures, an indicator_id of indicators.csv",
            "indicateur mesuré, un indicator_id de indicators.csv",
        ),
        "geo_code": Described(
            "place: ISO 3166-1 country or ISO 3166-2 region code",
            "lieu : code ISO 3166-1 du pays ou ISO 3166-2 de la région",
        ),
        "period_start": Described("first day of the period the figure describes", "premier jour de la période décrite"),
        "period_end": Described("last day of the period the figure describes", "dernier jour de la période décrite"),
        "value": Described(
            "the figure, in the unit of column unit (percent: 0 to 100)",
            "le chiffre, dans l'unité de la colonne unit (percent : de 0 à 100)",
        ),
        "value_text": Described(
            "the figure as written in the file (a spreadsheet cell as it shows: 27,9 %, 4/25)",
            "le chiffre tel qu'écrit dans le fichier (une cellule telle qu'elle s'affiche : 27,9 %, 4/25)",
        ),
        "numerator": Described(
            "for a share written as counts (41/147), the count counted (women, integrated…)",
            "pour une part écrite en effectifs (41/147), l'effectif compté (femmes, intégrés…)",
        ),
        "denominator": Described(
            "for a share written as counts, the whole (seats, planned…)",
            "pour une part écrite en effectifs, le total (sièges, prévus…)",
        ),
        "unit": Described(
            "unit of value: percent, count, persons, households, fcfa_bn (billions of CFA francs) or ratio",
            "unité de value : percent, count, persons, households, fcfa_bn (milliards de francs CFA) ou ratio",
        ),
        "source_id": _SOURCE,
        "confidence": _CONFIDENCE,
        "note": Described(
            "note of the compiler: where in the source, how derived",
            "note de compilation : où dans la source, comment calculé",
        ),
        "published": Described(
            "day the figure itself was published, where it differs from its source's",
            "jour de publication du chiffre lui-même, s'il diffère de celui de sa source",
        ),
        "known_from": Described(
            "day the figure became known: published, else its source's publication date, else the end of its period",
            "jour où le chiffre fut connu : published, sinon la "
            "date de publication de sa source, sinon la fin de sa période",
        ),
        "known_rule": Described(
            "which rule gave known_from: published, source or period_end",
            "règle qui a donné known_from : published, source ou period_end",
        ),
        "date_inferred": Described(
            "true when the source gives no date and the period was inferred (shown, never assessed)",
            "true quand la source ne date pas le chiffre et que la période a été déduite (montré, jamais évalué)",
        ),
        "file": _FILE,
        "line": _LINE,
    },
    "milestone_events": {
        "roadmap_id": _ROADMAP,
        "benchmark": _BENCHMARK,
        "milestone_id": Described(
            "milestone id within its benchmark (A1…)", "identifiant du jalon dans son critère (A1…)"
        ),
        "date": Described("day of the event", "jour de l'événement"),
        "status": Described(
            "what the event made of the milestone, Peace Accords Matrix scale: not_initiated, "
            "minimal, intermediate, full or reversed",
            "ce que l'événement a fait du jalon, échelle "
            "du Peace Accords Matrix : not_initiated, minimal, intermediate, full ou reversed",
        ),
        "score": Described(
            "points of that status (0 to 3; reversed counts 0)",
            "points de ce statut (de 0 à 3 ; reversed compte 0)",
            unit="points",
        ),
        "description_fr": Described("the event, in French", "l'événement, en français"),
        "description_en": Described("the event, in English", "l'événement, en anglais"),
        "source_id": _SOURCE,
        "confidence": _CONFIDENCE,
        "published": Described(
            "the day an earlier report than its source made the event known, where one did "
            "(empty: from its source's publication); the event counts from the later of this "
            "and its date",
            "le jour où un rapport antérieur à sa source a fait connaître "
            "l'événement, s'il y en a un (vide : dès la publication de sa source) ; l'événement "
            "compte à partir du plus tardif de ce jour et de sa date",
        ),
        "file": _FILE,
        "line": _LINE,
    },
    "sources": {
        "source_id": Described(
            "id of the source, cited by the other tables", "identifiant de la source, cité par les autres tables"
        ),
        "title": Described("title of the document, as published", "titre du document, tel que publié"),
        "publisher": Described("who published it", "qui l'a publié"),
        "symbol": Described(
            "UN document symbol, where it has one (S/2021/300)", "cote du document de l'ONU, s'il en a une (S/2021/300)"
        ),
        "url": Described("where it was read", "où il a été lu"),
        "published": Described(
            "day of publication; where none was found, the day computed from published_rule",
            "jour de publication ; à défaut, le jour calculé par published_rule",
        ),
        "published_basis": Described(
            "where the day of publication was found (the document itself, a release note, a page's date)",
            "où le jour de publication a été trouvé (le document lui-même, une note de diffusion, la date d'une page)",
        ),
        "published_rule": Described(
            "the rule that dates the source where no day of publication was found: an anchor "
            "(date, month or year, read as its last day), an offset, and why",
            "la règle qui date la source à défaut de jour de publication trouvé : un repère "
            "(date, mois ou année, lu comme son dernier jour), un délai, et pourquoi",
        ),
        "paragraph": Described("paragraphs or pages cited", "paragraphes ou pages cités"),
        "kind": Described(
            "primary (the body that produced the figure) or secondary (a report of it)",
            "primary (l'organe qui a produit le chiffre) ou secondary (un compte rendu)",
        ),
        "file": _FILE,
        "line": _LINE,
    },
    "indicators": {
        "roadmap_id": _ROADMAP,
        "benchmark": Described(
            "benchmark the indicator belongs to (empty: a context indicator of a thematic report)",
            "critère auquel l'indicateur appartient (vide : indicateur de contexte d'un rapport thématique)",
        ),
        "indicator_id": Described(
            "id of the indicator, global to every roadmap",
            "identifiant de l'indicateur, commun à toutes les feuilles de route",
        ),
        "name_fr": Described("name, in French", "nom, en français"),
        "name_en": Described("name, in English", "nom, en anglais"),
        "unit": Described(
            "unit of its figures and of the values below (percent: 0 to 100)",
            "unité de ses chiffres et des valeurs ci-dessous (percent : de 0 à 100)",
        ),
        "direction": Described(
            "direction of progress: increase or decrease", "sens du progrès : increase (hausse) ou decrease (baisse)"
        ),
        "cumulative": Described("true when the figures are running totals", "true quand les chiffres sont des cumuls"),
        "baseline_value": Described(
            "value on the roadmap's date (in unit)", "valeur à la date de la feuille de route (dans unit)"
        ),
        "baseline_date": Described("date of the baseline", "date de la valeur de référence"),
        "target_value": Described(
            "target set by the roadmap (in unit)", "cible fixée par la feuille de route (dans unit)"
        ),
        "target_date": Described("deadline of the target", "échéance de la cible"),
        "lower_bound": Described(
            "lowest plausible figure (in unit): a figure below fails validation",
            "plus petit chiffre plausible (dans unit) : un chiffre en dessous échoue à la validation",
        ),
        "upper_bound": Described(
            "highest plausible figure (in unit): a figure above fails validation",
            "plus grand chiffre plausible (dans unit) : un chiffre au-dessus échoue à la validation",
        ),
        "roadmap_paragraph": Described(
            "paragraph of the roadmap quoting the figure", "paragraphe de la feuille de route qui cite le chiffre"
        ),
        "roadmap_value": Described(
            "the figure as the roadmap quotes it (in unit)",
            "le chiffre tel que la feuille de route le cite (dans unit)",
        ),
        "roadmap_qualifier": Described(
            "how the roadmap qualifies it (>=, about…)", "comment la feuille de route le qualifie (>=, environ…)"
        ),
        "roadmap_quote_fr": Described("the roadmap's words, in French", "les mots de la feuille de route, en français"),
        "roadmap_related": Described(
            "indicators shown beside the roadmap's figure, never for its verdict",
            "indicateurs montrés à côté du chiffre de la feuille de route, jamais pour son verdict",
        ),
        "roadmap_related_complement": Described(
            "indicators shown beside the roadmap's figure as 100 − x",
            "indicateurs montrés à côté du chiffre de la feuille de route sous la forme 100 − x",
        ),
        "baseline_body_since": Described(
            "figures of a body sitting before this day never serve as baseline",
            "les chiffres d'un organe siégeant avant ce jour ne servent jamais de référence",
        ),
        "baseline_body_fr": Described(
            "the body whose figure is the baseline, in French",
            "l'organe dont le chiffre sert de référence, en français",
        ),
        "baseline_body_en": Described(
            "the body whose figure is the baseline, in English",
            "l'organe dont le chiffre sert de référence, en anglais",
        ),
        "rule_fr": Described(
            "the assessment rule in plain words, in French", "la règle d'évaluation en clair, en français"
        ),
        "rule_en": Described(
            "the assessment rule in plain words, in English", "la règle d'évaluation en clair, en anglais"
        ),
        "rule_quote_fr": Described(
            "the roadmap's words the rule rests on, in French",
            "les mots de la feuille de route sur lesquels la règle repose, en français",
        ),
        "rule_paragraph": Described("paragraph of those words", "paragraphe de ces mots"),
        "assess_series": Described(
            "sources assessed, space-separated, preferred first (empty: all, ranked)",
            "sources évaluées, séparées par des espaces, la préférée d'abord (vide : toutes, classées)",
        ),
        "counts_since": Described(
            "for a target counted in additions, the day from which they count",
            "pour une cible comptée en ajouts, le jour à partir duquel ils comptent",
        ),
        "min_pace_years": Described(
            "the shortest span, in years, over which a pace is judged before the target date",
            "la durée la plus courte, en années, sur laquelle un rythme est jugé avant l'échéance",
        ),
        "max_age_years": Described(
            "the oldest, in years, a figure may be to decide a status before the target date",
            "l'âge maximal, en années, d'un chiffre qui décide d'un statut avant l'échéance",
        ),
    },
}
