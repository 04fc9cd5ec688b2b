"""French and English for the reports: every UI string, and numbers and dates as each
language writes them.

Every word a report or chart shows is in one gettext catalogue per language,
``pipelines/locale/<lang>/LC_MESSAGES/reports.po`` (a translator's tool such as Poedit or
Weblate opens it), keyed by the stable ids the code passes to `t` (``reason.target_met``).
``make messages`` makes the template ``pipelines/locale/reports.pot`` from the code and brings
each catalogue in line with it (`pipelines.tools.messages`); a test fails on a key without a text
in a language, so no English word leaks into a French report. Numbers and dates go through babel
(CLDR data): ``27,9 %`` with a no-break space and ``1 006`` with a narrow no-break space in
French, ``27.9%`` and ``1,006`` in English, so that they never wrap in the middle. Charts get
the same conventions through Vega's d3 locale (`vega_locale`).
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
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


#: The catalogues' folder, their gettext domain, and the template made from the code.
LOCALE_DIR = Path(__file__).parents[1] / "locale"
DOMAIN = "reports"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"


def catalogue_path(lang: str) -> Path:
    """The catalogue of ``lang``: ``pipelines/locale/<lang>/LC_MESSAGES/reports.po``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise TranslationError(f"unknown language {lang!r}: reports are in 'fr' or 'en'")


@cache
def messages(lang: str) -> Mapping[str, str]:
    """Every text of ``lang``'s catalogue by key, read once a process (no compiled .mo: the
    .po file is the one home of the words, and reading it takes milliseconds)."""
    _check_lang(lang)
    with catalogue_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=BABEL_LOCALES[lang], domain=DOMAIN)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string}


def has_text(key: str) -> bool:
    """Whether ``key`` has a text, for a key whose absence has a fallback (a rule without its own line)."""
    return all(key in messages(lang) for lang in LANGS)


def t(key: str, lang: str, **values: Any) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    text = _catalogue_text(key, lang)
    return text.format(**values) if values else text


def _catalogue_text(key: str, lang: str) -> str:
    texts = messages(lang)
    if key not in texts:
        close = difflib.get_close_matches(key, texts, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        where = catalogue_path(lang).relative_to(LOCALE_DIR.parents[1]).as_posix()
        raise TranslationError(
            f"no translation for key {key!r} in {where}: use the key in the code, run "
            f"`make messages` and write its text there{hint}"
        )
    return texts[key]


@dataclass(frozen=True)
class Wording:
    """A report's words for one roadmap: the catalogue's, except the keys the roadmap's file
    says in its own terms (``reports: <report>: words:``, both languages, checked by ingest
    against the keys the report declares). The catalogue holds the generic wording a report
    gives any roadmap; a roadmap names its own law, document and bodies."""

    own: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def t(self, key: str, lang: str, **values: Any) -> str:
        """The roadmap's text of ``key`` in ``lang`` if its file gives one, else the catalogue's
        (`t`); ``{name}`` fields filled alike."""
        text = self.own.get(key, {}).get(lang) or _catalogue_text(key, lang)
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


def describe_score(
    score: float | None, basis: str | None, points: int | None, max_points: int | None, lang: str
) -> str:
    """What a benchmark's score counts, in words: "8 of 9 milestone points" (milestones on the
    0-3 scale) or "42 % of the way to the target" (an indicator), never a bare ratio."""
    if score is None:
        return "—"
    if basis == "milestones" and max_points:
        return t("score_text.milestones", lang, points=points, max=max_points)
    return t("score_text.indicator", lang, share=fmt_percent(100 * score, lang, 0))


def fmt_value(value: float, unit: str, lang: str) -> str:
    """A value as its unit is read: percent with one decimal, counts whole, others (ratios,
    billions of FCFA) with two decimals: "38,450 milliards" must not read 38.4 nor 38.5."""
    if unit == "percent":
        return fmt_percent(value, lang)
    if unit in ("count", "persons", "households"):
        return fmt_count(value, lang)
    return fmt_number(value, lang, digits=2)


def period_precision(start: date, end: date | None) -> Precision:
    """How a period reads: a whole calendar year as "2019", a whole month as "June 2021"."""
    if start.day != 1 or end is None:
        return "day"
    if start.month == 1 and end == date(start.year, 12, 31):
        return "year"
    month_end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return "month" if end == month_end else "day"


def fmt_period(start: date, end: date | None, lang: str) -> str:
    """A figure's period as it reads best: "2020", "septembre 2019", "18 June 2023", or, for
    a span of days, both ends ("4 October 2021 – 2 November 2021"): a session's result is
    not a figure of its first day."""
    precision = period_precision(start, end)
    if precision == "day" and end is not None and end != start:
        return f"{fmt_date(start, lang)} – {fmt_date(end, lang)}"
    return fmt_date(start, lang, precision)


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
            "months": [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            "shortMonths": [
                "janv.",
                "févr.",
                "mars",
                "avr.",
                "mai",
                "juin",
                "juil.",
                "août",
                "sept.",
                "oct.",
                "nov.",
                "déc.",
            ],
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
            "months": [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        },
    },
}


def vega_locale(lang: str) -> dict[str, Any]:
    """Vega-Lite's ``config.locale`` for the language (fr-FR or en-US): a fresh copy, so a
    chart that edits its config cannot change another's."""
    _check_lang(lang)
    return copy.deepcopy(_VEGA_LOCALES[lang])
