"""French and English strings, numbers and dates exactly as a reader sees them, and the message
catalogues they come from: what the code uses, every message in every language."""

from __future__ import annotations

import shutil
import string
from collections.abc import Callable
from datetime import date
from pathlib import Path

import altair as alt
import pytest
from babel.dates import get_month_names
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol, get_group_symbol

from pipelines.analysis import progress, views
from pipelines.core import i18n, paths, schema, statuses
from pipelines.core.errors import UsageError
from pipelines.core.i18n import (
    LANGS,
    TranslationError,
    fmt_count,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_value,
    t,
    vega_locale,
)
from pipelines.tools import messages

NBSP = "\u00a0"  # no-break space: babel's space before % in French
NNBSP = "\u202f"  # narrow no-break space: babel's thousands separator in French


@pytest.mark.parametrize(
    ("call", "fr", "en"),
    [
        (lambda lang: fmt_percent(27.891156, lang), f"27,9{NBSP}%", "27.9%"),
        (lambda lang: fmt_percent(30, lang, digits=0), f"30{NBSP}%", "30%"),
        (lambda lang: fmt_percent(9.5238, lang, digits=2), f"9,52{NBSP}%", "9.52%"),
        (lambda lang: fmt_count(1006, lang), f"1{NNBSP}006", "1,006"),
        (lambda lang: fmt_count(26000, lang), f"26{NNBSP}000", "26,000"),
        (lambda lang: fmt_number(0.376, lang, digits=3), "0,376", "0.376"),
        (lambda lang: fmt_number(1234.5, lang), f"1{NNBSP}234,5", "1,234.5"),
        (lambda lang: fmt_value(27.891, "percent", lang), f"27,9{NBSP}%", "27.9%"),
        (lambda lang: fmt_value(1428, "persons", lang), f"1{NNBSP}428", "1,428"),
        (lambda lang: fmt_value(0.8726, "ratio", lang), "0,87", "0.87"),
        (lambda lang: fmt_date(date(2023, 6, 18), lang), "18 juin 2023", "18 June 2023"),
        (lambda lang: fmt_date(date(2021, 3, 25), lang), "25 mars 2021", "25 March 2021"),
        (lambda lang: fmt_date(date(2021, 2, 1), lang, "month"), "février 2021", "February 2021"),
        (lambda lang: fmt_date(date(2019, 1, 1), lang, "year"), "2019", "2019"),
        (lambda lang: t("target_value", lang, value=fmt_percent(30, lang, digits=0)), f"cible 30{NBSP}%", "target 30%"),
        (lambda lang: t("no_evidence", lang), "aucun élément trouvé", "no evidence found"),
        # roadmap-wide strings name the report's own roadmap, whichever it is
        (
            lambda lang: t("criterion", lang, symbol="S/2021/807", paragraph=8),
            "Critère de référence (S/2021/807, § 8)",
            "Benchmark criterion (S/2021/807, para. 8)",
        ),
        (
            lambda lang: t("criterion_no_paragraph", lang, symbol="S/2021/807"),
            "Critère de référence (S/2021/807)",
            "Benchmark criterion (S/2021/807)",
        ),
        (
            lambda lang: t("overview_title", lang, acronym="MONUSCO", symbol="S/2021/807"),
            "Feuille de route de la MONUSCO (S/2021/807) : tableau de bord des critères",
            "MONUSCO roadmap (S/2021/807): benchmark scorecard",
        ),
        (lambda lang: t("status.transferred", lang), "transféré, plus évalué", "transferred, no longer assessed"),
        (lambda lang: t("status.retired", lang), "retiré, plus évalué", "retired, no longer assessed"),
    ],
)
def test_exact_strings(call: Callable[[str], str], fr: str, en: str) -> None:
    assert call("fr") == fr
    assert call("en") == en


def test_key_dates_are_labelled_by_their_roadmap_in_both_languages(real_tables: views.Tables) -> None:
    # data/raw/roadmaps/s-2021-300.yaml: the labels a chart of MINUSMA's reports marks
    marked = real_tables.marked_dates(date(2024, 1, 1))
    assert [k.label("fr") for k in marked] == [
        "feuille de route du 25 mars 2021",
        "fin du mandat de la MINUSMA, 30 juin 2023",
    ]
    assert [k.label("en") for k in marked] == ["roadmap of 25 March 2021", "end of MINUSMA's mandate, 30 June 2023"]


def test_unknown_key_names_the_key_the_catalogue_to_edit_and_close_ones() -> None:
    with pytest.raises(
        TranslationError,
        match=r"no translation for key 'targt' in "
        r"pipelines/locale/fr/LC_MESSAGES/reports\.po.*did you mean target",
    ):
        t("targt", "fr")


def test_unknown_language_is_refused() -> None:
    for call in (lambda: t("target", "de"), lambda: fmt_percent(27.9, "es"), lambda: vega_locale("fr-FR")):
        with pytest.raises(TranslationError, match="'fr' or 'en'"):
            call()


def catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_catalogues_are_what_the_code_asks_for() -> None:
    # every key the code uses is in the template and each language's catalogue, none it no
    # longer uses remains, and the places each key is used are current: `make messages` fixes it
    assert messages.stale(messages.wanted(paths.ROOT)) == []


def test_a_new_key_or_a_stale_place_makes_the_catalogues_out_of_date_and_a_translator_layout_does_not(
    tmp_path: Path,
) -> None:
    for folder in ("pipelines", "notebooks"):
        shutil.copytree(paths.ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    po = tmp_path / i18n.catalogue_path("en").relative_to(paths.ROOT)
    # another tool's layout (lines wrapped elsewhere) and a changed text are the translator's business
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "target"', 'msgstr ""\n"goal"'), encoding="utf-8")
    assert messages.stale(messages.wanted(tmp_path)) == []
    glossary = tmp_path / "pipelines/reports/glossary/panels.py"
    glossary.write_text(
        glossary.read_text(encoding="utf-8") + "\nNEW = t('glossary.new_term', 'en')\n", encoding="utf-8"
    )
    template, fr, en = (i18n.TEMPLATE, i18n.catalogue_path("fr"), i18n.catalogue_path("en"))
    assert messages.stale(messages.wanted(tmp_path)) == [
        tmp_path / p.relative_to(paths.ROOT) for p in (template, fr, en)
    ]
    wanted = messages.wanted(tmp_path)
    assert not wanted[tmp_path / en.relative_to(paths.ROOT)]["glossary.new_term"].string  # to translate
    assert wanted[tmp_path / en.relative_to(paths.ROOT)]["target"].string == "goal"  # kept


def test_every_message_has_a_text_in_every_language_with_the_same_fields() -> None:
    template = [m.id for m in catalogue(i18n.TEMPLATE) if m.id]
    assert len(template) > 400
    texts = {lang: {m.id: m for m in catalogue(i18n.catalogue_path(lang)) if m.id} for lang in LANGS}
    for key in template:
        for lang in LANGS:
            message, first = texts[lang][key], texts[LANGS[0]][key]
            assert isinstance(message.string, str) and isinstance(first.string, str), (lang, key)  # no plural
            assert message.string.strip() and not message.fuzzy, (lang, key)
            assert fields(message.string) == fields(first.string), (lang, key)


def test_an_f_string_key_the_extraction_cannot_know_is_refused_with_its_place() -> None:
    source = "from pipelines.core.i18n import t\n\n\nlabel = t(f'colour.{name}', lang)\n"
    with pytest.raises(UsageError, match=r"undeclared x\.py:4: t\(f\"colour\.\{…\}\""):
        messages.template(
            messages.Found(
                {}, {"colour.{}": [("x.py", 4)]} | {family.pattern: [("y.py", 1)] for family in messages.DYNAMIC}
            )
        )
    assert list(messages._keys_in(source, "x.py")) == [(4, "colour.{}")]
    with pytest.raises(UsageError, match=r"x\.py:1: t\(key, \.\.\.\): a key must be written in the call"):
        list(messages._keys_in("t(key, lang)", "x.py"))


def test_both_keys_of_a_conditional_are_read_and_a_subscript_is_no_call() -> None:
    source = "a = t('review.agreed' if ok else 'review.changed', lang)\nrows = t['rows']\n"
    assert list(messages._keys_in(source, "x.py")) == [(1, "review.agreed"), (1, "review.changed")]


def test_every_code_the_pipeline_emits_has_a_translation() -> None:
    keys = (
        [f"status.{s}" for s in statuses.IDS]
        + [f"retired.{r}{to}" for r in schema.RETIREMENTS for to in ("", "_to")]
        + [f"reason.{r}" for r in progress.REASONS]
        + [f"milestone_status.{s}" for s in schema.MILESTONE_STATUS]
        + [f"confidence.{c}" for c in schema.CONFIDENCE]
        + [f"unit.{u}" for u in schema.UNITS]
    )
    assert [k for k in keys if not i18n.has_text(k)] == []


@pytest.mark.parametrize(("lang", "babel_locale"), [("fr", "fr_FR"), ("en", "en_US")])
def test_vega_locale_agrees_with_babel(lang: str, babel_locale: str) -> None:
    locale = vega_locale(lang)
    assert locale["number"]["decimal"] == get_decimal_symbol(babel_locale)
    assert locale["number"]["thousands"] == get_group_symbol(babel_locale)
    assert locale["time"]["months"] == list(get_month_names("wide", locale=babel_locale).values())
    assert locale["time"]["shortMonths"] == list(get_month_names("abbreviated", locale=babel_locale).values())
    alt.Locale(**locale).to_dict(validate=True)  # a valid Vega-Lite config.locale


def test_vega_locale_french_specifics() -> None:
    locale = vega_locale("fr")
    assert locale["number"]["currency"] == ["", f"{NBSP}€"]
    assert locale["time"]["days"][0] == "dimanche"
    locale["time"]["months"][0] = "changed"
    assert vega_locale("fr")["time"]["months"][0] == "janvier"  # each call is a fresh copy


@pytest.mark.parametrize(
    ("args", "fr", "en"),
    [
        (
            (8 / 9, "milestones", 8, 9),
            "8 points de jalons sur 9",
            "8 of 9 milestone points",
        ),  # the scale is said once, in the column header
        ((0.4245, "indicator", None, None), "42\u00a0% du chemin vers la cible", "42% of the way to the target"),
        ((None, None, None, None), "—", "—"),
    ],
)
def test_a_score_says_what_it_counts(
    args: tuple[float | None, str | None, int | None, int | None], fr: str, en: str
) -> None:
    from pipelines.core.i18n import describe_score

    assert (describe_score(*args, "fr"), describe_score(*args, "en")) == (fr, en)


def test_a_changed_text_changes_the_code_checksum_so_the_reports_are_built_again(tmp_path: Path) -> None:
    from pipelines.core.fingerprints import code_checksum

    package = tmp_path / "pipelines"
    shutil.copytree(i18n.LOCALE_DIR, package / "locale")
    before = code_checksum(package)
    po = package / i18n.catalogue_path("fr").relative_to(i18n.LOCALE_DIR.parent)
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "cible"', 'msgstr "objectif"'), encoding="utf-8")
    assert code_checksum(package) != before
