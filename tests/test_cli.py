"""The command line as a user types it: every message under the command they ran."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ingest.test_step import make_raw


def pipelines(*args: str, root: Path) -> subprocess.CompletedProcess[str]:
    """`python -m pipelines <args>` in the project `root` (MINUSMA_ROOT)."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        env={**os.environ, "MINUSMA_ROOT": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("command", ["report", "run"])
def test_a_refused_option_is_labelled_with_the_command_the_user_ran(command: str, tmp_path: Path) -> None:
    done = pipelines(command, "--as-of", "2022-02-30", root=tmp_path)
    assert done.returncode == 3
    assert done.stderr == f"error: [{command}] --as-of '2022-02-30' is not a valid date\n"
    assert "ingest" not in done.stdout  # refused before the build's first step


def test_a_step_of_report_that_fails_on_the_data_is_named_under_report(tmp_path: Path) -> None:
    make_raw(tmp_path / "data", "nothing,here\n1,2\n")
    done = pipelines("report", root=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].startswith("error: [report] ingest: data/raw/observations/obs.csv, line 1")
