"""The notebooks in JupyterLab itself, as an analyst opens them: a real Lab server on the
project, a notebook restarted and run top to bottom with its defaults in headless Chromium.
Lab's own stylesheet applies there (it right-aligns every table cell), so what a report looks
like in Lab is only known by looking."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.core import paths
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.test_reports import _UNREADABLE_TEXT

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, deployed: Path) -> str:
    """A JupyterLab server, no token, on a free local port, serving a copy of the notebooks (Lab
    autosaves outputs into what it serves; the project's notebooks stay stripped), with the
    tables of a deployed copy; its URL."""
    port = _free_port()
    home = tmp_path_factory.mktemp("lab-home")
    served = home / "served"
    shutil.copytree(paths.NOTEBOOKS, served / "notebooks")
    # every cell in the page, not only those scrolled into view (Lab 4 windows long notebooks)
    settings = home / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
         "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={served}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        env={**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"),
             "MINUSMA_ROOT": str(deployed), "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings")})
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=1)  # noqa: S310 - our local server
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within a minute")
    yield url
    server.terminate()
    server.wait(timeout=30)


def test_a_benchmark_notebook_run_in_lab_reads_left_aligned_with_every_chart_whole(lab: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{lab}/lab/tree/notebooks/benchmark.ipynb", wait_until="networkidle")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            page.click("li.lm-MenuBar-item:has-text('Kernel')", timeout=30_000)
            page.click("text=Restart Kernel and Run All Cells", timeout=10_000)
            page.click(".jp-Dialog button.jp-mod-accept", timeout=10_000)
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
            shown_errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").all_inner_texts()
            status = page.locator(".jp-Notebook-ExecutionIndicator, #jp-main-statusbar").all_inner_texts()
        finally:
            browser.close()
    progress = f"prompts {prompts[:40]}, errors {[e[:300] for e in shown_errors]}, status bar {status}"
    assert errors == 0, "a cell wrote to stderr"
    assert aligned and set(aligned) == {"left"}, f"{set(aligned)}; {progress}"  # Lab right-aligns cells unless outranked
    assert charts >= 3
    assert not unreadable, unreadable[:10]
