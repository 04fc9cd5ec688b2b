"""``python -m pipelines report``: the whole build, as ``make report`` runs it.

ingest -> validate -> run -> render, each step as if called on its own. A data step that
fails stops the build with its exit code (2); a failed notebook does not stop rendering, and
the build then exits 1. Either way the published site (``reports/``) stays exactly as the last
good build left it: only `render` publishes, with the data-quality pages of the check, and
only when every report rendered. The message of the failed step names where its outputs are
(``build/quality/`` for a failed check, ``build/unpublished/`` for the pages of a failed build).

When ingest has new data to read and no stored check can spare validate from Great
Expectations, GX starts importing in a thread while ingest reads
(`pipelines.validate.gx.session_ahead`); after a few rows changed, validate checks them without
it (`pipelines.validate.incremental`). When ingest brought new data, the run's workers start,
with their kernels and the notebooks' imports, while validate checks it
(`pipelines.run.schedule.warm_up`): after one figure changed the workers' start was about a
second of the run's few. A run that takes them finds them ready; a build that stops
at validate, or has nothing to run, stops them.

Each step is called through its own entry (``add_arguments`` and ``main``), not through the
command line: the build runs under the one project lock the command line took for ``report``,
and each step still prints what it prints on its own. In `tools` because it imports every step.
"""

from __future__ import annotations

import argparse
from types import ModuleType

from pipelines.core import paths, store
from pipelines.core.errors import EnvironmentFailure, ExitCode
from pipelines.core.i18n import LANGS
from pipelines.ingest import step as ingest
from pipelines.render import step as render
from pipelines.run import step as run
from pipelines.validate import step as validate

#: The steps of a build, in order, each by its name on the command line.
ORDER: tuple[tuple[str, ModuleType], ...] = (
    ("ingest", ingest),
    ("validate", validate),
    ("run", run),
    ("render", render),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options passed on to the run step (the others use their defaults)."""
    parser.add_argument("--roadmap", default=None, help="only these roadmaps (e.g. s-2021-300; default: all)")
    parser.add_argument("--only", default=None, help="run only these reports (e.g. A,D or overview)")
    parser.add_argument("--lang", default=None, choices=LANGS, help="one language (default: every one)")
    parser.add_argument("--as-of", dest="as_of", default=None, help="assess at this date (YYYY-MM-DD)")
    parser.add_argument(
        "--since",
        default=None,
        help="list what changed after this date (YYYY-MM-DD; default: the quarter end before --as-of)",
    )
    parser.add_argument("--jobs", type=run.positive, default=None, help="notebooks run at once (default: cores)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="redo every step (ingest, checks, every report) even if its inputs are unchanged",
    )


def _step_argv(step: str, args: argparse.Namespace) -> list[str]:
    """The options `step` is given in this build, as it would read them on its command line."""
    argv = []
    if step == "run":
        for flag, value in (
            ("--roadmap", args.roadmap),
            ("--only", args.only),
            ("--lang", args.lang),
            ("--as-of", args.as_of),
            ("--since", args.since),
            ("--jobs", args.jobs),
        ):
            if value is not None:
                argv += [flag, str(value)]
    if step == "render" and args.roadmap is not None:
        argv += ["--roadmap", args.roadmap]
    if args.force and step in ("ingest", "validate", "run"):
        argv.append("--force")
    return argv


def run_arguments(args: argparse.Namespace) -> argparse.Namespace:
    """The arguments this build gives its run step (the watch mode warms the next build's run with them)."""
    return _step_args("run", run, args)


def _step_args(step: str, module: ModuleType, args: argparse.Namespace) -> argparse.Namespace:
    """The arguments of `step`, parsed by its own options (`add_arguments`) with their defaults.
    Every value was already checked by this step's options, so the parse cannot fail."""
    parser = argparse.ArgumentParser(prog=f"python -m pipelines {step}")
    module.add_arguments(parser)
    return parser.parse_args(_step_argv(step, args))


def _validate_ahead() -> None:
    """Import Great Expectations (validate's session) in a thread while ingest reads new data,
    when validate will need it: after a few rows changed, it checks them without GX."""
    from pipelines.validate.step import gx_ahead_pays

    if gx_ahead_pays():
        from pipelines.validate.gx import session_ahead

        session_ahead()


def _data_checksum() -> str | None:
    """The checksum of the processed data, as the last ingest recorded it (None before any)."""
    return store.read_manifest(paths.PROCESSED).get("data_checksum")


def main(args: argparse.Namespace) -> int:
    """Run the steps in order. Data steps stop the build at the first failure; a failed
    notebook does not stop rendering (the other reports are still rendered, the failed one
    gets a page saying what broke, all held in build/unpublished/ rather than published), and
    the build then exits 1."""
    run.check_dates(_step_args("run", run, args))  # a wrong date costs no ingest
    worst = ExitCode.OK
    try:
        for step, module in ORDER:
            step_args = _step_args(step, module, args)
            if step == "ingest":
                step_args.on_reading = _validate_ahead
            print(f"[report] {step} …", flush=True)
            before = _data_checksum() if step == "ingest" else None
            try:
                code = int(module.main(step_args))
            except OSError as exc:  # named by the step that met it, not by the build
                failure = EnvironmentFailure.of(exc, step)
                if failure is None:
                    raise
                raise failure from exc
            if code == ExitCode.NOTEBOOK_FAILED and step in ("run", "render"):
                print(f"[report] step '{step}' had failures (exit code {code}); going on")
                worst = ExitCode.NOTEBOOK_FAILED
            elif code != ExitCode.OK:
                print(f"[report] stopped: step '{step}' failed with exit code {code}")
                return code
            elif step == "ingest" and (args.force or _data_checksum() != before):
                run.warm_up(_step_args("run", run, args))  # new data: the run's workers start while validate runs
    finally:
        run.cool_down()  # the warmed workers no run took
    if worst != ExitCode.OK:
        print(f"[report] done with failures, nothing published: see {paths.display(paths.ROOT / 'build' / 'run.json')}")
        return worst
    index = paths.REPORTS / "index.html"
    for candidate in (index, paths.REPORTS / "en" / "index.html"):
        if candidate.exists():
            print(f"[report] done: open {paths.display(candidate)}")
            break
    else:
        print(f"[report] done: processed data in {paths.display(paths.PROCESSED)}")
    return ExitCode.OK
