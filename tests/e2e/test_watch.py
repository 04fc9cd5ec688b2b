"""``python -m pipelines watch`` in a scratch copy of the project: it serves reports/ on
127.0.0.1 only, rebuilds after a change under data/raw/, tells the open page (``/__watch``), and
after a bad file shows the error while the last good pages stay. Bounded: one report of one
roadmap in one language, ``--max-seconds``, and the process is stopped at the end whatever
happened."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.tools import verify
from tests.support import ROOT as PROJECT
from tests.tools.test_airflow_dag import MONUSCO


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # 127.0.0.1 only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for(base: str, build: int, timeout: float = 300) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = json.loads(fetch(f"{base}/__watch")[1])
        if int(state["build"]) >= build:
            return dict(state)
        time.sleep(0.5)
    raise TimeoutError(f"no build {build} in {timeout:g} s")


@pytest.mark.slow
def test_watch_rebuilds_on_a_change_shows_a_bad_files_error_and_keeps_the_last_good_pages(tmp_path: Path) -> None:
    root = tmp_path / "project"
    verify.copy_inputs(PROJECT, root)
    observations = root / "data" / "raw" / "observations" / "monusco.csv"
    good = observations.read_bytes()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipelines",
            "watch",
            "--port",
            "0",
            "--interval",
            "0.2",
            "--max-seconds",
            "600",
            "--roadmap",
            MONUSCO,
            "--only",
            "POC",
            "--lang",
            "fr",
            "--jobs",
            "1",
        ],
        cwd=root,
        env={**os.environ, "MINUSMA_ROOT": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, first
        base = f"http://127.0.0.1:{found.group(1)}"
        assert wait_for(base, 1)["error"] is None  # the first build
        deadline = time.monotonic() + 120  # then the next build's workers and kernels start, and it says so
        while not json.loads(fetch(f"{base}/__watch")[1])["warm"]:
            assert time.monotonic() < deadline, "the watch never said it was warm"
            time.sleep(0.5)
        page = f"{base}/{MONUSCO}/fr/benchmark-POC.html"
        status, body = fetch(page)
        assert status == 200 and b'fetch("/__watch"' in body  # the reload script, added on the fly
        on_disk = (root / "reports" / MONUSCO / "fr" / "benchmark-POC.html").read_bytes()
        assert b"__watch" not in on_disk  # never written into reports/

        observations.write_text("nothing,here\n1,2\n", encoding="utf-8")  # a bad file
        state = wait_for(base, 2)
        assert "required-column" in str(state["error"]), state
        status, kept = fetch(page)
        assert status == 200 and kept == body  # the last good page stays, and says why (its banner script)
        assert (root / "reports" / MONUSCO / "fr" / "benchmark-POC.html").read_bytes() == on_disk

        observations.write_bytes(good)  # fixed: built again, the error gone
        assert wait_for(base, 3)["error"] is None
    finally:
        process.terminate()
        output = process.communicate(timeout=60)[0]
    assert "[watch] the build failed (exit code 2)" in output and "[watch] stopped" in output, output[-3000:]
