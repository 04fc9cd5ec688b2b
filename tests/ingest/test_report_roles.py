"""Reports declared as data: each report a folder (`pipelines/reports/<name>/report.yaml`), and a
roadmap's file binding its own indicators to a report's roles. Ingest refuses a report, role or
indicator nobody declares, naming the file and line; the registry builds a report for every
roadmap that binds it, and reads by role, never by a roadmap's indicator ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.core import declarations, paths
from pipelines.core.errors import DataError
from pipelines.core.i18n import Wording, t
from pipelines.ingest import catalogue
from pipelines.run import jobs
from tests.ingest.test_catalogue import NIGER

ANCHOR = "title_en: Test roadmap\n"


def _read(tmp_path: Path, reports: str) -> dict:
    assert ANCHOR in NIGER
    path = tmp_path / "roadmap.yaml"
    path.write_text(NIGER.replace(ANCHOR, ANCHOR + reports), encoding="utf-8")
    return catalogue.read_roadmap(path).roadmap


def _refused(tmp_path: Path, reports: str) -> DataError:
    with pytest.raises(DataError) as err:
        _read(tmp_path, reports)
    assert err.value.problem.file == paths.display(tmp_path / "roadmap.yaml")
    return err.value


def test_a_roadmap_binds_its_indicators_to_a_reports_roles(tmp_path: Path) -> None:
    roadmap = _read(tmp_path, "reports:\n  ddr: {counted: test_ne_schools_open}\n  roadmap-figures:\n")
    assert json.loads(roadmap["reports"]) == {"ddr": {"counted": ["test_ne_schools_open"]}, "roadmap-figures": {}}


@pytest.mark.parametrize(
    ("reports", "line", "key", "value", "rule", "reason"),
    [
        (
            "reports:\n  gender-audit: {}\n",
            13,
            "reports.gender-audit",
            "gender-audit",
            "report",
            "no report folder (pipelines/reports/*/report.yaml) declares 'gender-audit' as a report a roadmap lists; "
            "those are ddr, poverty-wash, roadmap-figures, women-quota",
        ),
        (
            "reports:\n  brief: {}\n",
            13,
            "reports.brief",
            "brief",
            "report",
            "declares 'brief' as a report a roadmap lists",
        ),
        (
            "reports:\n  ddr:\n    counted: test_ne_schools_open\n    trained: test_ne_schools_open\n",
            15,
            "reports.ddr.trained",
            "trained",
            "role",
            "'ddr' has no role 'trained'; its roles are counted, cohort",
        ),
        (
            "reports:\n  ddr:\n    counted: women_parliament_share\n",
            14,
            "reports.ddr.counted",
            "women_parliament_share",
            "indicator",
            "'women_parliament_share' is not an indicator of this roadmap",
        ),
        (
            "reports:\n  ddr:\n    cohort: test_ne_schools_open\n",
            13,
            "reports.ddr",
            "ddr",
            "required-role",
            "'ddr' needs its role(s) counted bound to this roadmap's indicators",
        ),
        (
            "reports:\n  women-quota:\n",
            13,
            "reports.women-quota",
            "women-quota",
            "required-role",
            "needs its role(s) parliament, cabinet",
        ),
    ],
)
def test_a_report_role_or_indicator_nobody_declares_is_refused_with_its_line(
    tmp_path: Path, reports: str, line: int, key: str, value: str, rule: str, reason: str
) -> None:
    problem = _refused(tmp_path, reports).problem
    assert (problem.line, problem.column, problem.value, problem.rule) == (line, key, value, rule)
    assert reason in problem.reason


def test_a_related_series_must_be_an_indicator_of_the_file(tmp_path: Path) -> None:
    text = NIGER.replace(
        "      - indicator_id: test_ne_schools_open\n",
        "      - indicator_id: test_ne_schools_open\n"
        "        roadmap: {paragraph: 3, value: 40, related: [test_ne_nowhere]}\n",
    )
    assert text != NIGER
    path = tmp_path / "roadmap.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="'test_ne_nowhere' is not an indicator of this roadmap") as err:
        catalogue.read_roadmap(path)
    assert err.value.problem.line is not None


def test_every_shipped_report_folder_declares_a_notebook_that_exists() -> None:
    for report in declarations.declared().values():
        assert (paths.NOTEBOOKS / report.notebook).is_file(), report.report_id


def test_adding_a_report_is_adding_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "gender").mkdir(parents=True)
    (folder / "gender" / "report.yaml").write_text(
        "id: gender\nnotebook: gender.ipynb\nbuilt_for: listed\nreads: {benchmarks: roles, indicators: roles}\n"
        "roles: {share: the share of women}\n",
        encoding="utf-8",
    )
    found = declarations.declared(folder)
    assert found["gender"].role_names == ("share",) and found["gender"].benchmarks == "roles"
    (folder / "gender" / "report.yaml").write_text(
        "id: gender\nnotebook: g.ipynb\nbuilt_for: listed\nreads: {benchmarks: every, indicators: every}\nowner: me\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="unknown-key") as err:
        declarations.declared.__wrapped__(folder)
    assert err.value.problem.column == "owner"


def test_a_report_reads_the_slices_of_the_indicators_bound_to_its_roles(tmp_path: Path) -> None:
    (tmp_path / "ddr.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "women_quota.ipynb").write_text("{}", encoding="utf-8")
    plan = jobs.RoadmapPlan(
        "r",
        ("A", "B", "C"),
        (("ddr", (("counted", ("x_total",)), ("cohort", ("x_cohort",)))),),
        (("x_total", "C"), ("x_cohort", "C"), ("y", "A")),
    )
    specs = {s.report_id: s for s in jobs.registry(tmp_path, [plan])}
    assert (specs["ddr"].reads_benchmarks, specs["ddr"].reads_indicators) == (("C",), ("x_total", "x_cohort"))
    assert "women-quota" not in specs  # not listed by this roadmap: not built for it


# --- a roadmap's own words ------------------------------------------------------------------

WORDS = "reports:\n  ddr:\n    counted: test_ne_schools_open\n    words:\n"


def test_a_roadmap_says_a_reports_declared_words_in_its_own_terms(tmp_path: Path) -> None:
    roadmap = _read(
        tmp_path,
        WORDS + "      ddr.title: {fr: Intégration au Niger, en: Integration in Niger}\n"
        "      ddr.stage.registered: {fr: 'inscrits (HCPDS)', en: 'registered (HCPDS)'}\n"
        "      ddr.intro: {fr: 'Au {date}, {target} ?', en: 'On {date}, {target}?'}\n",
    )
    words = json.loads(roadmap["report_words"])["ddr"]
    assert words["ddr.title"] == {"fr": "Intégration au Niger", "en": "Integration in Niger"}
    assert words["ddr.stage.registered"]["en"] == "registered (HCPDS)"
    assert "words" not in json.loads(roadmap["reports"])["ddr"]  # words are not a role


def test_the_words_a_report_shows_are_the_roadmaps_where_it_gives_them_else_the_catalogues() -> None:
    own = Wording({"ddr.title": {"fr": "Intégration au Niger", "en": "Integration in Niger"}})
    assert own.t("ddr.title", "en") == "Integration in Niger"
    assert own.t("ddr.stage.listed", "fr") == t("ddr.stage.listed", "fr")
    with_fields = Wording({"ddr.intro": {"fr": "Au {date} : {target}", "en": "On {date}: {target}"}})
    assert with_fields.t("ddr.intro", "fr", date="1er mars", target="2 000") == "Au 1er mars : 2 000"


@pytest.mark.parametrize(
    ("words", "line", "key", "rule", "reason"),
    [
        (
            "      ddr.col.stage: {fr: étape, en: stage}\n",
            16,
            "reports.ddr.words.ddr.col.stage",
            "word",
            "'ddr' lets a roadmap say ddr.title, ddr.intro",
        ),
        (
            "      wq.title: {fr: Femmes, en: Women}\n",
            16,
            "reports.ddr.words.wq.title",
            "word",
            "not this key",
        ),
        (
            "      ddr.title:\n        fr: Intégration au Niger\n",
            16,
            "reports.ddr.words.ddr.title.en",
            "required",
            "",
        ),
        (
            "      ddr.intro:\n        fr: 'Au {date}, face à {goal}'\n        en: 'On {date}, against {goal}'\n",
            17,
            "reports.ddr.words.ddr.intro.fr",
            "word-field",
            "{goal} is not filled by the report; the catalogue's text has date, target",
        ),
    ],
)
def test_a_word_the_report_does_not_declare_or_cannot_fill_is_refused_with_its_line(
    tmp_path: Path, words: str, line: int, key: str, rule: str, reason: str
) -> None:
    problem = _refused(tmp_path, WORDS + words).problem
    assert (problem.line, problem.column, problem.rule) == (line, key, rule)
    assert reason in problem.reason


def test_every_word_a_report_declares_is_read_through_the_roadmaps_words() -> None:
    """A declared word reaches the page: the report's code or notebook reads it with
    ``words.t(...)`` (a key read with the plain ``t`` would silently ignore the roadmap's text)."""
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in [*paths.NOTEBOOKS.glob("*.ipynb"), *declarations.FOLDER.glob("*/*.py")]
    ).replace('\\"', '"')  # a notebook's JSON escapes the quotes of its code
    for report in declarations.declared().values():
        for key in report.word_keys:
            call = f'words.t(f"{key.removesuffix("*")}' if key.endswith("*") else f'words.t("{key}"'
            assert call in code, f"{report.report_id}: {key} is never read through the roadmap's words"
