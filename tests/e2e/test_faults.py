"""Runs that collide or get stopped leave the previous outputs whole and say what happened."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from filelock import FileLock

from pipelines.tools import synthetic
from tests.support import ROOT


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_second_run_waits_for_the_lock_then_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    raw = synthetic.write(100, tmp_path / "raw")
    env = {"MINUSMA_ROOT": str(tmp_path), "MINUSMA_LOCK_TIMEOUT": "1"}
    with FileLock(tmp_path / ".pipelines.lock"):
        proc = _cli("ingest", "--raw", str(raw), "--out", str(tmp_path / "out"), env=env)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3
    assert "another build of this project is running; waiting" in err
    assert "[ingest]" in err and "holds .pipelines.lock" in err
    assert not (tmp_path / "out").exists()
    # once the lock is free the same command works
    proc = _cli("ingest", "--raw", str(raw), "--out", str(tmp_path / "out"), env=env)
    proc.communicate(timeout=120)
    assert proc.returncode == 0


def test_sigterm_mid_ingest_leaves_the_previous_outputs_whole(tmp_path: Path) -> None:
    env = {"MINUSMA_ROOT": str(tmp_path)}
    out = tmp_path / "out"
    small = synthetic.write(100, tmp_path / "small")
    assert _cli("ingest", "--raw", str(small), "--out", str(out), env=env).wait(timeout=120) == 0
    before = _digest(out)
    big = synthetic.write(1_000_000, tmp_path / "big")
    proc = _cli("ingest", "--raw", str(big), "--out", str(out), env=env)
    assert proc.stderr is not None and proc.stderr.readline().startswith("[ingest] reading")  # it has started work
    time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 130)
    if proc.returncode == 130:  # stopped before it wrote: nothing changed, and it says so
        assert "interrupted; previous outputs are left as they were" in err
        assert _digest(out) == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
