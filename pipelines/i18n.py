"""French and English for the reports: every UI string, and numbers and dates as each
language writes them.

One table holds every string a report or chart shows, so a missing translation fails a test
instead of leaking an English word into a French report. Numbers and dates go through babel
(CLDR data): ``27,9 %`` with a no-break space and ``1 006`` with a narrow no-break space in
French, ``27.9%`` and ``1,006`` in English, so that they never wrap in the middle. Charts get
the same conventions through Vega's d3 locale (`vega_locale`).
"""

from __future__ import annotations

import copy
import difflib
from datetime import date, timedelta
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")
#: The babel locale behind each language. English follows US number conventions like the
#: charts' en-US locale; dates use the day-month-year order of UN documents in both languages.
BABEL_LOCALES: dict[str, str] = {"fr": "fr_FR", "en": "en_US"}
Precision = Literal["day", "month", "year"]
#: CLDR date patterns by precision: a yearly figure is dated "2019", not "1 January 2019".
DATE_PATTERNS: dict[str, str] = {"day": "d MMMM y", "month": "MMMM y", "year": "y"}


class TranslationError(LookupError):
    """An unknown translation key or language: a bug in a notebook or a missing entry here."""


#: key -> {"fr": ..., "en": ...}. Strings with ``{name}`` fields are filled by `t`.
STRINGS: dict[str, dict[str, str]] = {
    # Progress bands (pipelines.progress.STATUSES)
    "status.achieved": {"fr": "cible atteinte", "en": "achieved"},
    "status.on_track": {"fr": "en bonne voie", "en": "on track"},
    "status.needs_acceleration": {"fr": "accélération nécessaire", "en": "needs acceleration"},
    "status.limited_progress": {"fr": "progrès limités", "en": "limited progress"},
    "status.deterioration": {"fr": "détérioration", "en": "deterioration"},
    "status.insufficient_data": {"fr": "données insuffisantes", "en": "insufficient data"},
    # Milestone statuses (schema.MILESTONE_STATUS, Peace Accords Matrix scale)
    "milestone_status.not_initiated": {"fr": "non engagé", "en": "not initiated"},
    "milestone_status.minimal": {"fr": "minimal", "en": "minimal"},
    "milestone_status.intermediate": {"fr": "intermédiaire", "en": "intermediate"},
    "milestone_status.full": {"fr": "complet", "en": "full"},
    "milestone_status.reversed": {"fr": "en recul", "en": "reversed"},
    # Why a status is what it is (pipelines.progress.REASONS)
    "reason.no_target": {"fr": "aucune cible fixée", "en": "no target"},
    "reason.too_few_points": {"fr": "moins de deux valeurs observées", "en": "fewer than two observed values"},
    "reason.no_point_after_baseline": {"fr": "aucune valeur postérieure à la référence",
                                       "en": "no value after the baseline"},
    "reason.target_met": {"fr": "la dernière valeur atteint la cible", "en": "the latest value meets the target"},
    "reason.target_met_at_baseline": {"fr": "cible déjà atteinte à la référence",
                                      "en": "target already met at the baseline"},
    "reason.target_lost_since_baseline": {"fr": "cible atteinte à la référence, perdue depuis",
                                          "en": "target met at the baseline, lost since"},
    "reason.pace_ratio": {"fr": "rythme observé comparé au rythme requis",
                          "en": "observed pace against the required pace"},
    "reason.deadline_passed": {"fr": "échéance dépassée : part du chemin parcouru",
                               "en": "deadline passed: share of the distance covered"},
    "reason.no_target_date": {"fr": "sans échéance : part du chemin parcouru",
                              "en": "no target date: share of the distance covered"},
    "reason.zero_base_linear": {"fr": "base nulle : rythme linéaire", "en": "zero base: linear pace"},
    # Confidence of a figure (schema.CONFIDENCE)
    "confidence.primary": {"fr": "source primaire", "en": "primary source"},
    "confidence.secondary": {"fr": "source secondaire", "en": "secondary source"},
    "confidence.derived": {"fr": "calculé à partir de sources", "en": "derived from cited figures"},
    # Words of tables, panels and tooltips
    "target": {"fr": "cible", "en": "target"},
    "target_value": {"fr": "cible {value}", "en": "target {value}"},
    "baseline": {"fr": "référence", "en": "baseline"},
    "baseline_value": {"fr": "référence {value}", "en": "baseline {value}"},
    "latest": {"fr": "dernière valeur", "en": "latest"},
    "source": {"fr": "source", "en": "source"},
    "sources": {"fr": "sources", "en": "sources"},
    "symbol": {"fr": "cote", "en": "symbol"},
    "confidence": {"fr": "fiabilité", "en": "confidence"},
    "note": {"fr": "note", "en": "note"},
    "date": {"fr": "date", "en": "date"},
    "value": {"fr": "valeur", "en": "value"},
    "status": {"fr": "statut", "en": "status"},
    "score": {"fr": "score", "en": "score"},
    "benchmark": {"fr": "critère", "en": "benchmark"},
    "milestone": {"fr": "jalon", "en": "milestone"},
    "description": {"fr": "description", "en": "description"},
    "data_quality": {"fr": "qualité des données", "en": "data quality"},
    "as_of": {"fr": "situation au {date}", "en": "as of {date}"},
    "current_status": {"fr": "état d'avancement", "en": "current status"},
    "anticipated_progress": {"fr": "progrès anticipé", "en": "anticipated progress"},
    "no_evidence": {"fr": "aucun élément trouvé", "en": "no evidence found"},
    "not_available": {"fr": "non disponible", "en": "not available"},
    "mean_of_values": {"fr": "moyenne de {count} valeurs", "en": "mean of {count} values"},
    # Key dates of the reports
    "key_date.roadmap": {"fr": "feuille de route du 25 mars 2021", "en": "roadmap of 25 March 2021"},
    "key_date.mandate_end": {"fr": "fin du mandat de la MINUSMA, 30 juin 2023",
                             "en": "end of MINUSMA's mandate, 30 June 2023"},
    # Axis titles
    "axis.year": {"fr": "année", "en": "year"},
    "axis.date": {"fr": "date", "en": "date"},
    "axis.share_of_seats": {"fr": "part des sièges (%)", "en": "share of seats (%)"},
    "axis.progress": {"fr": "progression vers la cible", "en": "progress towards the target"},
    "axis.score": {"fr": "score (0 à 1)", "en": "score (0 to 1)"},
    # Axis titles by unit (schema.UNITS)
    "unit.percent": {"fr": "pourcentage (%)", "en": "percentage (%)"},
    "unit.count": {"fr": "nombre", "en": "number"},
    "unit.persons": {"fr": "personnes", "en": "persons"},
    "unit.households": {"fr": "ménages", "en": "households"},
    "unit.fcfa_bn": {"fr": "milliards de francs CFA", "en": "CFA francs (billions)"},
    "unit.ratio": {"fr": "ratio", "en": "ratio"},
    # Report panels (pipelines.panels)
    "criterion": {"fr": "Critère de référence (S/2021/300, § {paragraph})",
                  "en": "Benchmark criterion (S/2021/300, para. {paragraph})"},
    "status_at": {"fr": "Statut au {date} : {status}", "en": "Status as of {date}: {status}"},
    "headline_figures": {"fr": "Chiffres clés", "en": "Headline figures"},
    "indicator": {"fr": "indicateur", "en": "indicator"},
    "milestones": {"fr": "Jalons", "en": "Milestones"},
    "milestone_points": {"fr": "{points} points sur {max} (score {score})",
                         "en": "{points} of {max} points (score {score})"},
    "due": {"fr": "échéance", "en": "due"},
    "trends": {"fr": "Évolution des indicateurs", "en": "Indicator trends"},
    "assessed_on": {"fr": "Série évaluée : {source}. {reason}.", "en": "Series assessed: {source}. {reason}."},
    "assessment_detail": {"fr": "état d'avancement {current} ; progrès anticipé {anticipated}",
                          "en": "current status {current}; anticipated progress {anticipated}"},
    "regional_figures": {"fr": "Chiffres par région", "en": "Figures by region"},
    "region": {"fr": "région", "en": "region"},
    "no_figures": {"fr": "Aucun chiffre publié n'a été trouvé pour : {names}. Ils restent absents, jamais estimés.",
                   "en": "No published figure was found for: {names}. They stay missing, never estimated."},
    "quality_ok": {"fr": "Toutes les règles de qualité sont respectées pour les données de ce rapport.",
                   "en": "Every data-quality rule passes for the data of this report."},
    "quality_failed": {"fr": "{errors} erreur(s) et {warnings} avertissement(s) de qualité touchent ce rapport.",
                       "en": "{errors} error(s) and {warnings} warning(s) of data quality touch this report."},
    "quality_origin.stored": {"fr": "résultats de la dernière validation", "en": "results of the last validation"},
    "quality_origin.recomputed": {"fr": "contrôles refaits : les données ont changé depuis la validation",
                                  "en": "checks re-run: the data changed since the last validation"},
    "rule": {"fr": "règle", "en": "rule"},
    "severity": {"fr": "gravité", "en": "severity"},
    "where": {"fr": "fichier, ligne", "en": "file, line"},
    "title": {"fr": "titre", "en": "title"},
    "publisher": {"fr": "éditeur", "en": "publisher"},
    "published": {"fr": "publié le", "en": "published"},
    "paragraph": {"fr": "paragraphe", "en": "paragraph"},
    "kind": {"fr": "type", "en": "kind"},
    "overview_title": {"fr": "Feuille de route de la MINUSMA (S/2021/300) : tableau de bord des critères",
                       "en": "MINUSMA roadmap (S/2021/300): benchmark scorecard"},
    "overview_intro": {
        "fr": "Où en est chaque critère de référence au {date} ? Le score d'un critère à jalons est la somme "
              "des statuts de ses jalons sur l'échelle du Peace Accords Matrix (0 à 3) divisée par le maximum ; "
              "un critère mesuré par un indicateur montre la part du chemin parcouru vers sa cible.",
        "en": "Where does each benchmark stand on {date}? A milestone benchmark scores the sum of its milestones' "
              "statuses on the Peace Accords Matrix scale (0 to 3) over the maximum; a benchmark measured by an "
              "indicator shows the share of the distance to its target covered so far."},
    "latest_figures": {"fr": "derniers chiffres", "en": "latest figures"},
    "report": {"fr": "rapport", "en": "report"},
    "footer": {"fr": "Chaque chiffre provient d'une source citée ; un chiffre non publié reste absent. "
                     "Situation au {as_of} ; rapport produit pour la date {build_date}.",
               "en": "Every figure comes from a cited source; a figure not published stays missing. "
                     "Situation as of {as_of}; report built for {build_date}."},
}


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise TranslationError(f"unknown language {lang!r}: reports are in 'fr' or 'en'")


def t(key: str, lang: str, **values: Any) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    _check_lang(lang)
    if key not in STRINGS:
        close = difflib.get_close_matches(key, STRINGS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise TranslationError(f"no translation for key {key!r}: add it to pipelines.i18n.STRINGS{hint}")
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def _with_digits(pattern: str, digits: int) -> str:
    """A CLDR number pattern (e.g. ``#,##0 %``) with exactly ``digits`` decimals."""
    decimals = "." + "0" * digits if digits else ""
    integer = "#,##0"
    start = pattern.index(integer)
    end = start + len(integer)
    while end < len(pattern) and pattern[end] in ".0#":
        end += 1
    return pattern[:start] + integer + decimals + pattern[end:]


def _locale(lang: str) -> Locale:
    _check_lang(lang)
    return Locale.parse(BABEL_LOCALES[lang])


def fmt_number(value: float, lang: str, digits: int = 1) -> str:
    """A number with ``digits`` decimals: ``27,9`` / ``27.9``, grouped by thousands."""
    locale = _locale(lang)
    return format_decimal(value, _with_digits(locale.decimal_formats[None].pattern, digits), locale)


def fmt_percent(value_in_percent: float, lang: str, digits: int = 1) -> str:
    """A share stored in percent (0-100): ``27,9 %`` / ``27.9%``."""
    locale = _locale(lang)
    return format_percent(value_in_percent / 100, _with_digits(locale.percent_formats[None].pattern, digits), locale)


def fmt_count(value: float, lang: str) -> str:
    """A whole number: ``1 006`` / ``1,006``."""
    return fmt_number(value, lang, digits=0)


def fmt_value(value: float, unit: str, lang: str) -> str:
    """A value as its unit is read: percent with one decimal, counts whole, others with two
    decimals (ratios) or one (money)."""
    if unit == "percent":
        return fmt_percent(value, lang)
    if unit in ("count", "persons", "households"):
        return fmt_count(value, lang)
    return fmt_number(value, lang, digits=2 if unit == "ratio" else 1)


def period_precision(start: date, end: date | None) -> Precision:
    """How a period reads: a whole calendar year as "2019", a whole month as "June 2021"."""
    if start.day != 1 or end is None:
        return "day"
    if start.month == 1 and end == date(start.year, 12, 31):
        return "year"
    month_end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return "month" if end == month_end else "day"


def fmt_period(start: date, end: date | None, lang: str) -> str:
    """A figure's period as it reads best: "2020", "septembre 2019" or "18 June 2023"."""
    return fmt_date(start, lang, period_precision(start, end))


def fmt_date(day: date, lang: str, precision: Precision = "day") -> str:
    """A date in words: ``18 juin 2023`` / ``18 June 2023``; ``juin 2023`` or ``2023`` when
    the figure is monthly or yearly, so that no reader takes a period's start for an event."""
    return format_date(day, DATE_PATTERNS[precision], locale=_locale(lang))


#: d3-format and d3-time-format locales for Vega (config.locale), as data. The French
#: separators are babel's (narrow no-break space between thousands, no-break space before
#: %), so that axis labels match the numbers in the text and tooltips.
_VEGA_LOCALES: dict[str, dict[str, Any]] = {
    "fr": {
        "number": {
            "decimal": ",",
            "thousands": "\u202f",
            "grouping": [3],
            "currency": ["", "\u00a0€"],
            "percent": "\u00a0%",
        },
        "time": {
            "dateTime": "%A %e %B %Y à %X",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
            "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
            "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                       "septembre", "octobre", "novembre", "décembre"],
            "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                            "sept.", "oct.", "nov.", "déc."],
        },
    },
    "en": {
        "number": {
            "decimal": ".",
            "thousands": ",",
            "grouping": [3],
            "currency": ["$", ""],
        },
        "time": {
            "dateTime": "%x, %X",
            "date": "%-m/%-d/%Y",
            "time": "%-I:%M:%S %p",
            "periods": ["AM", "PM"],
            "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": ["January", "February", "March", "April", "May", "June", "July", "August",
                       "September", "October", "November", "December"],
            "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                            "Nov", "Dec"],
        },
    },
}


def vega_locale(lang: str) -> dict[str, Any]:
    """Vega-Lite's ``config.locale`` for the language (fr-FR or en-US): a fresh copy, so a
    chart that edits its config cannot change another's."""
    _check_lang(lang)
    return copy.deepcopy(_VEGA_LOCALES[lang])
