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


def test_help_lists_every_step_without_importing_altair(tmp_path: Path) -> None:
    # `python -m pipelines --help` imports each step's module for its options; Altair takes a second
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pipelines.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'altair', 'pipelines'}), "
            "'pipelines.tools.messages' in sys.modules)",
        ],
        env={**os.environ, "MINUSMA_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "messages" in done.stdout  # the help, then what was imported
    assert done.stdout.splitlines()[-1] == "['pipelines'] True"


def test_a_report_package_loads_its_panels_when_they_are_first_read() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pipelines.reports import poverty_wash\n"
            "print('pipelines.reports.poverty_wash.panels' in sys.modules, poverty_wash.panels.REPORT)",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.stdout.split() == ["False", "poverty-wash"], done.stderr
