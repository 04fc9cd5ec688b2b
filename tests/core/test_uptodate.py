"""A data step with nothing new to do says so and does nothing, yet never hides what it found
before: ingest skips when no input and no code changed, validate prints the stored results
(and keeps their exit code); any change, a tampered output, or --force does the work again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.core import paths, store
from tests.ingest.test_step import HEADER, make_raw
from tests.validate.test_step import SHARE, TODAY, broken, run_cli

GOOD = HEADER + "women_share,ML,2020,,27.9,percent,s1,primary,\n"


def ingest(raw: Path, out: Path, *extra: str) -> int:
    return main(["ingest", "--raw", str(raw), "--out", str(out), *extra])


def test_ingest_skips_unchanged_inputs_and_reads_again_after_any_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, out = make_raw(tmp_path, GOOD), tmp_path / "processed"
    assert ingest(raw, out) == 0
    table = out / "observations.parquet"
    written = table.stat().st_mtime_ns
    capsys.readouterr()
    assert ingest(raw, out) == 0
    assert "unchanged since the last ingest" in capsys.readouterr().err
    assert table.stat().st_mtime_ns == written  # nothing rewritten
    # a changed input
    (raw / "observations" / "obs.csv").write_text(GOOD.replace("27.9", "28.0"), encoding="utf-8")
    assert ingest(raw, out) == 0
    assert "reading" in capsys.readouterr().err
    # the manifest names the bytes read this time, hashed once to see the change
    recorded = {Path(name).name: sha for name, sha in store.read_manifest(out)["inputs"].items()}
    assert recorded["obs.csv"] == store.sha256_file(raw / "observations" / "obs.csv")
    assert ingest(raw, out) == 0 and "unchanged since the last ingest" in capsys.readouterr().err
    # a damaged output
    table.write_bytes(b"not parquet")
    assert ingest(raw, out) == 0
    assert "reading" in capsys.readouterr().err and table.read_bytes()[:4] == b"PAR1"
    # a country's geography file added (its aliases change how places are read): an input too
    (raw / "geography").mkdir()
    shutil.copy(paths.RAW / "geography" / "ML.yaml", raw / "geography" / "ML.yaml")
    assert ingest(raw, out) == 0
    assert "reading" in capsys.readouterr().err
    assert any(name.endswith("geography/ML.yaml") for name in store.read_manifest(out)["inputs"])
    # --force
    assert ingest(raw, out, "--force") == 0
    assert "reading" in capsys.readouterr().err


def test_a_second_ingest_in_the_same_process_reads_the_edited_geography_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, out = make_raw(tmp_path, GOOD + "women_share,Koulikouro,2021,,28.0,percent,s1,primary,\n"), tmp_path / "p"
    assert ingest(raw, out, "--strict") == 2  # OCHA's spelling is not ISO's: quarantined without ML.yaml
    (raw / "geography").mkdir()
    shutil.copy(paths.RAW / "geography" / "ML.yaml", raw / "geography" / "ML.yaml")  # says koulikouro: ML-2
    capsys.readouterr()
    assert ingest(raw, out, "--strict") == 0
    assert "ML-2" in store.read_table("observations", out)["geo_code"].to_list()


def test_a_skipped_strict_ingest_still_fails_on_quarantined_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, out = make_raw(tmp_path, GOOD + "women_share,Atlantis,2020,,27.9,percent,s1,primary,\n"), tmp_path / "p"
    assert ingest(raw, out, "--strict") == 2
    capsys.readouterr()
    assert ingest(raw, out, "--strict") == 2
    err = capsys.readouterr().err
    assert "unchanged since the last ingest" in err and "1 row(s) stay quarantined" in err


def test_validate_repeats_the_stored_results_and_exit_code_when_nothing_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, processed = run_cli(tmp_path, broken(SHARE[0]), capsys)
    assert (code, out) == (2, [SHARE[1]])
    results = processed / "validation.json"
    written = results.stat().st_mtime_ns
    argv = [
        "validate",
        "--processed",
        str(processed),
        "--pages",
        str(tmp_path / "quality"),
        "--today",
        TODAY.isoformat(),
    ]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [SHARE[1]]  # the same failure, printed again
    assert "unchanged since the last check" in captured.err
    assert results.stat().st_mtime_ns == written


@pytest.mark.parametrize("change", ["today", "suite", "force"])
def test_validate_checks_again_when_the_date_a_suite_or_the_user_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    _, _, processed = run_cli(tmp_path, broken(SHARE[0]), capsys)
    expectations = tmp_path / "expectations"
    shutil.copytree(paths.EXPECTATIONS, expectations)
    argv = [
        "validate",
        "--processed",
        str(processed),
        "--pages",
        str(tmp_path / "quality"),
        "--today",
        TODAY.isoformat(),
        "--expectations",
        str(expectations),
    ]
    assert main(argv) == 2  # another suite folder: a first check there
    capsys.readouterr()
    if change == "today":
        argv[argv.index("--today") + 1] = "2031-01-01"
    elif change == "suite":
        suite = expectations / "sources.json"
        suite.write_text(
            suite.read_text(encoding="utf-8").replace('"description": "', '"description": "(edited) ', 1),
            encoding="utf-8",
        )
    else:
        argv.append("--force")
    assert main(argv) == 2
    assert "unchanged since the last check" not in capsys.readouterr().err
