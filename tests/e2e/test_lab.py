"""The notebooks in JupyterLab itself, as an analyst opens them: a real Lab server on the
project, a notebook opened and run top to bottom with its defaults in headless Chromium.
Lab's own stylesheet applies there (it right-aligns every table cell), so what a report looks
like in Lab is only known by looking."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.core import paths
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.test_reports import _UNREADABLE_TEXT
from tests.support import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]


@dataclass(frozen=True)
class Lab:
    """A running Lab server: where to reach it, and the file its log goes to."""

    url: str
    log: Path

    def log_tail(self) -> str:
        """The last lines the server wrote (its kernels' starts, restarts and deaths), for a
        failure's message: what Lab's page shows says little of why a kernel never answered."""
        return self.log.read_text(errors="replace")[-3000:]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, deployed: Path) -> Iterator[Lab]:
    """A JupyterLab server, no token, on a free local port, serving a copy of the notebooks (Lab
    autosaves outputs into what it serves; the project's notebooks stay stripped), with the
    tables of a deployed copy."""
    port = free_port()
    home = tmp_path_factory.mktemp("lab-home")
    served = home / "served"
    shutil.copytree(paths.NOTEBOOKS, served / "notebooks")
    # every cell in the page, not only those scrolled into view (Lab 4 windows long notebooks)
    settings = home / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    log = home / "server.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={served}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        env={
            **os.environ,
            "HOME": str(home),
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "MINUSMA_ROOT": str(deployed),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings"),
        },
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=1)  # our local server
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within a minute")
    yield Lab(url, log)
    server.terminate()
    server.wait(timeout=30)


def _wait_for_one_settled_kernel(lab: Lab, timeout: float = 120.0) -> None:
    """Wait until the server has one notebook session, its kernel idle and connected, and the
    same kernel as two seconds before. Lab sometimes starts a kernel on opening a notebook and
    replaces it a moment later; cells run in between are cleared with the first kernel."""
    seen: list[str | None] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{lab.url}/api/sessions", timeout=5) as answer:  # our local server
            sessions = json.load(answer)
        kernels = [s["kernel"] for s in sessions]
        ready = len(kernels) == 1 and kernels[0]["execution_state"] == "idle" and kernels[0]["connections"] >= 1
        seen.append(kernels[0]["id"] if ready else None)
        if len(seen) >= 5 and len(set(seen[-5:])) == 1 and seen[-1] is not None:
            return
        time.sleep(0.5)
    pytest.fail(
        f"Lab's notebook kernel did not settle within {timeout:.0f} s; sessions {sessions};"
        f" the server's log ends:\n{lab.log_tail()}"
    )


#: Lab's status bar once the notebook's kernel has started and answered ("<kernel name> | Idle").
_KERNEL_IDLE = "#jp-main-statusbar :text-matches('\\| Idle')"


def test_a_benchmark_notebook_run_in_lab_reads_left_aligned_with_every_chart_whole(lab: Lab) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{lab.url}/lab/tree/notebooks/benchmark.ipynb", wait_until="networkidle")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            # Run all in the kernel Lab started on opening the notebook, once it has settled. Not
            # "Restart Kernel and Run All Cells", nor a restart first: a restart this soon after
            # Lab's first connection makes it reconnect, Jupyter Server 2.21 then reads the cells'
            # requests on the socket it is closing with the wrong protocol ("struct.error: unpack
            # requires a buffer" in its log) and drops them, and every cell stays "[*]" (about one
            # run in four here, and in CI). A kernel just started is as fresh as a restarted one.
            _wait_for_one_settled_kernel(lab)
            page.wait_for_selector(_KERNEL_IDLE, timeout=60_000)
            page.click("li.lm-MenuBar-item:has-text('Run')", timeout=30_000)
            page.click(".lm-Menu-item:has-text('Run All Cells')", timeout=10_000)
            for _ in range(180):
                time.sleep(1)
                running = page.locator(".jp-InputPrompt:has-text('[*]')").count()
                if not running and page.locator(".jp-Cell-outputArea table.data").count():
                    break
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
            aligned = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea table.data td')]
                .map(td => getComputedStyle(td).textAlign)""")
            unreadable = page.evaluate(_UNREADABLE_TEXT.replace("figure.chart svg", ".jp-OutputArea svg"))
            charts = page.locator(".jp-OutputArea svg").count()
            # what the run got to, for a failure's message: prompt numbers, and any error shown
            prompts = [p.strip() for p in page.locator(".jp-InputPrompt").all_inner_texts() if p.strip()]
            shown_errors = page.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
            ).all_inner_texts()
            status = page.locator(".jp-Notebook-ExecutionIndicator, #jp-main-statusbar").all_inner_texts()
        finally:
            browser.close()
    progress = (
        f"prompts {prompts[:40]}, errors {[e[:300] for e in shown_errors]}, status bar {status};"
        f" the server's log ends:\n{lab.log_tail()}"
    )
    assert errors == 0, "a cell wrote to stderr"
    assert aligned and set(aligned) == {"left"}, (
        f"{set(aligned)}; {progress}"
    )  # Lab right-aligns cells unless outranked
    assert charts >= 3
    assert not unreadable, unreadable[:10]
