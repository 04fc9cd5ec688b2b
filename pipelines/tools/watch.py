"""``python -m pipelines watch`` (``make watch``): rebuild on each change under ``data/raw/`` and
serve the site on this machine, reloading the open page.

It serves ``reports/`` on 127.0.0.1 (never another address) and looks at ``data/raw/`` every
``--interval`` seconds (names, sizes and modification times: no dependency, no file read). On a
change, once the files have stopped changing for one interval, it runs ``python -m pipelines
report`` (with the options given here) as `make report` would: the project's lock, the
incremental steps, the site published whole or not at all. Each page served gets a small
script (added on the fly, never written into ``reports/``) that asks ``/__watch`` for the build
number and reloads when it moves. A build that fails (a bad file, a failed check) leaves
``reports/`` as the last good build left it, as `report` always does: the pages stay, a banner
on them shows the error, and the terminal prints it.

Builds run in the watch's own process, one after the other, so that what a build needs stays
warm between them: the package and Great Expectations imported once, and the run's workers
started ahead of the next build, while the analyst edits, each with its kernel started and
holding the notebooks' imports (`pipelines.run.kernels`), kept from one notebook to the next and
reset in between, as `report` keeps it. ``--fresh-kernels N`` gives each notebook a kernel never
used before instead, N of them started ahead in each worker (about 140 MiB each; a notebook
that finds none left gets one started for it): nothing of one report can reach another, but
each notebook then pays again what a kernel builds on first use (the chart schema's validator,
the catalogues…), which made the 12 notebooks of one changed figure take 1.8 times as long.
Either way a build's notebooks are those of `report` byte for byte. ``--max-seconds`` stops the
watch by itself (for tests and demonstrations); Ctrl-C otherwise.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import threading
import time
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO

from pipelines.core import lock, paths
from pipelines.core.errors import ExitCode, failure_of
from pipelines.run import step as run
from pipelines.tools import report

#: What each served HTML page gets before ``</body>``: a poll of the build state, a reload when
#: it moves, a banner while the last build failed.
SCRIPT = b"""<script>(function () {
  var seen = null;
  function banner(text) {
    var box = document.getElementById("__watch");
    if (!text) { if (box) box.remove(); return; }
    if (!box) { box = document.createElement("pre"); box.id = "__watch";
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:40%;overflow:auto;margin:0;" +
        "padding:1em;background:#fee;color:#900;border-top:3px solid #900;white-space:pre-wrap;z-index:99999";
      document.body.appendChild(box); }
    box.textContent = "The last build failed; this page is from the last good build.\\n\\n" + text;
  }
  function poll() {
    fetch("/__watch", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.build !== seen) { location.reload(); return; }
      seen = s.build; banner(s.error);
    }).catch(function () {}).finally(function () { setTimeout(poll, 500); });
  }
  poll();
})();</script>
"""


class State:
    """The build number (moves after every build, good or bad) and the last build's error."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.build = 0
        self.error: str | None = None
        self.building = False
        self.warming = False  # the next build's workers were asked for (`warm_next`)

    def snapshot(self) -> dict[str, Any]:
        """What ``/__watch`` answers; ``warm``: the next build's workers and kernels are ready."""
        with self.lock:
            warm = self.warming and run.warmed()
            return {"build": self.build, "error": self.error, "building": self.building, "warm": warm}

    def done(self, error: str | None) -> None:
        with self.lock:
            self.build += 1
            self.error = error
            self.building = False
            self.warming = False


class Handler(SimpleHTTPRequestHandler):
    """Files of ``reports/``; HTML with `SCRIPT` added; ``/__watch`` the state as JSON."""

    state: State

    def __init__(self, *args: Any, state: State, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        return  # the terminal says what the builds do, not every request

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == "/__watch":
            self._send(json.dumps(self.state.snapshot()).encode("utf-8"), "application/json")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes()
            at = body.rfind(b"</body>")
            self._send(body[:at] + SCRIPT + body[at:] if at >= 0 else body + SCRIPT, "text/html; charset=utf-8")
            return
        if path.suffix == ".html" or not self.path.strip("/"):  # no site yet, or the page is gone
            note = self.state.snapshot()["error"] or "no page here yet: the first build is under way"
            page = f"<!doctype html><html><body><h1>minusma-roadmap</h1><pre>{_escape(note)}</pre></body></html>"
            self._send(
                page.encode("utf-8").replace(b"</body>", SCRIPT + b"</body>"),
                "text/html; charset=utf-8",
                HTTPStatus.NOT_FOUND,
            )
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def snapshot(raw: Path) -> dict[str, tuple[int, int]]:
    """Every file under `raw`: its size and modification time (what a save changes)."""
    found = {}
    for path in sorted(raw.rglob("*")):
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file():
            found[str(path.relative_to(raw))] = (stat.st_size, stat.st_mtime_ns)
    return found


def report_arguments(given: Sequence[str]) -> argparse.Namespace:
    """`report`'s arguments from the options given to the watch (checked when the watch starts)."""
    parser = argparse.ArgumentParser(prog="python -m pipelines watch")
    report.add_arguments(parser)
    return parser.parse_args(given)


def build(state: State, report_args: argparse.Namespace) -> None:
    """One `report`, in this process and under the project's lock as ``python -m pipelines
    report`` runs it; its output is kept and shown when it failed; the state says how it went."""
    with state.lock:
        state.building = True
    started = time.perf_counter()
    print("[watch] building …", flush=True)
    captured, terminal = io.StringIO(), sys.stdout
    with redirect_stdout(captured), redirect_stderr(captured):
        try:
            with lock.project("report", partial(_waiting, terminal)):
                code = report.main(argparse.Namespace(**vars(report_args)))
        except Exception as exc:  # noqa: BLE001 - a failed step, worded as the command line words it; a bug, whole
            failure = failure_of(exc, "report")
            if failure is None:
                import traceback

                traceback.print_exc()
                failure = int(ExitCode.NOTEBOOK_FAILED), f"error: {type(exc).__name__}: {exc}"
            print(failure[1])
            code = failure[0]
    output = captured.getvalue().strip()
    if code == ExitCode.OK:
        print(f"[watch] built in {time.perf_counter() - started:.1f} s; the open pages reload", flush=True)
        state.done(None)
        return
    lines = [line for line in output.splitlines() if "error" in line.lower() or "failed" in line.lower()]
    error = "\n".join(lines[-15:]) or output[-3000:]
    print(f"[watch] the build failed (exit code {code}); the last good pages stay:\n{error}", flush=True)
    state.done(f"exit code {code}\n{error}")


def _waiting(terminal: TextIO, seconds: float) -> None:
    """Another build of the project holds its lock (a `make report` in another terminal)."""
    print(
        f"[watch] another build of this project is running; waiting for it (up to {seconds:g} s)",
        file=terminal,
        flush=True,
    )


def warm_next(state: State, report_args: argparse.Namespace, kernels: int) -> None:
    """Start the workers of the next build now, each with its kernel started and the imports
    done, or with `kernels` kernels for one notebook each (`pipelines.run.step.warm_up`): the
    next build's run takes them."""
    run.warm_up(report.run_arguments(report_args), spares=kernels)
    with state.lock:
        state.warming = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines watch``."""
    parser.description = (
        "Serve reports/ on 127.0.0.1 and rebuild (`report`) on each change under data/raw/; "
        "open pages reload after each build, and show the error of a failed one (the last good "
        "pages stay)."
    )
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free one)")
    parser.add_argument(
        "--interval", type=float, default=0.5, metavar="SECONDS", help="how often data/raw is looked at (default: 0.5)"
    )
    parser.add_argument(
        "--max-seconds",
        dest="max_seconds",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop by itself after this long (default: run until Ctrl-C)",
    )
    parser.add_argument(
        "--no-first-build",
        dest="first_build",
        action="store_false",
        help="serve the site as it is and build on the first change only",
    )
    parser.add_argument(
        "--fresh-kernels",
        dest="fresh_kernels",
        type=int,
        default=0,
        metavar="N",
        help="give each notebook a kernel never used before, N started ahead in each worker between "
        "builds (about 140 MiB each; slower: each notebook builds a kernel's caches again); "
        "default 0: each worker keeps one kernel, reset between notebooks, as `report` does",
    )
    for flag in ("--roadmap", "--only", "--lang", "--jobs"):
        parser.add_argument(flag, default=None, help=f"passed to `report` {flag}")


def main(args: argparse.Namespace) -> int:
    """Serve, watch, build; until Ctrl-C or ``--max-seconds``."""
    report_args = report_arguments(
        [
            a
            for flag in ("roadmap", "only", "lang", "jobs")
            if getattr(args, flag) is not None
            for a in (f"--{flag}", str(getattr(args, flag)))
        ]
    )
    state = State()
    paths.REPORTS.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), partial(Handler, state=state, directory=str(paths.REPORTS)))
    server.daemon_threads = True
    serving = threading.Thread(target=server.serve_forever, name="watch-server", daemon=True)
    serving.start()
    print(
        f"[watch] serving {paths.display(paths.REPORTS)} at http://127.0.0.1:{server.server_address[1]}/ ; "
        f"watching {paths.display(paths.RAW)}",
        flush=True,
    )
    deadline = None if args.max_seconds is None else time.monotonic() + args.max_seconds
    try:
        seen = snapshot(paths.RAW)
        if args.first_build:
            build(state, report_args)
        warm_next(state, report_args, args.fresh_kernels)
        while deadline is None or time.monotonic() < deadline:
            time.sleep(args.interval)
            now = snapshot(paths.RAW)
            if now == seen:
                continue
            while True:  # until the files stop changing (an editor's save may be several writes)
                time.sleep(args.interval)
                settled = snapshot(paths.RAW)
                if settled == now:
                    break
                now = settled
            changed = sorted(set(now.items()) ^ set(seen.items()))
            print(f"[watch] changed: {', '.join(sorted({name for name, _ in changed}))}", flush=True)
            seen = now
            build(state, report_args)
            warm_next(state, report_args, args.fresh_kernels)
    except KeyboardInterrupt:
        pass
    finally:
        run.cool_down()  # the workers warmed for a build that will not come, and their kernels
        server.shutdown()
        server.server_close()
    print("[watch] stopped", flush=True)
    return int(ExitCode.OK)
