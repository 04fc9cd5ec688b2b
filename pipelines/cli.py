"""The command line: ``python -m pipelines <step> [options]``.

Each step lives in its own module exposing ``add_arguments(parser)`` and ``main(args) -> int``.
Modules are imported only when their step runs, so ``ingest`` never pays for Great
Expectations or Altair imports.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from functools import partial
from types import ModuleType

from pipelines.core import lock
from pipelines.core.errors import ExitCode, PipelineError, failure_of
from pipelines.run import lazyimports

#: step name -> (module, one-line help). Order is the order of a full build.
STEPS: dict[str, tuple[str, str]] = {
    "ingest": ("pipelines.ingest.step", "read data/raw into typed Parquet tables in data/processed"),
    "validate": ("pipelines.validate.step", "check the processed tables with the suites in expectations/"),
    "run": ("pipelines.run.step", "execute the report notebooks with papermill"),
    "render": ("pipelines.render.step", "turn executed notebooks into offline HTML reports"),
    "report": ("pipelines.tools.report", "ingest, validate, run and render: the whole build"),
    "verify": ("pipelines.tools.verify", "rebuild in a scratch folder and compare the bytes"),
    "template": ("pipelines.tools.template", "write a spreadsheet per roadmap to fill in Excel or LibreOffice"),
    "watch": ("pipelines.tools.watch", "serve reports/ on 127.0.0.1 and rebuild on each change under data/raw/"),
    "airflow-dag": ("pipelines.tools.airflow_dag", "write an Airflow DAG that builds the reports, one task per report"),
    "messages": (
        "pipelines.tools.messages",
        "update the message catalogues of pipelines/locale/ from the keys the code uses",
    ),
}

EPILOG = """exit codes: 0 success, 1 a notebook failed, 2 the data failed validation,
3 usage error, 4 the environment (a read-only folder, a full disk, a permission). Every
failure names its step."""


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on a usage error; our documented code for that is 3."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message}\n")


def build_parser(steps: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser with a sub-command for each step whose module is importable."""
    parser = _Parser(prog="python -m pipelines", description=__doc__.splitlines()[0], epilog=EPILOG)
    sub = parser.add_subparsers(dest="step", metavar="STEP", parser_class=_Parser, required=True)
    for name in steps or STEPS:
        module_name, help_text = STEPS[name]
        step_parser = sub.add_parser(name, help=help_text, description=help_text, epilog=EPILOG)
        step_parser.set_defaults(_module=module_name)
        module = _load(module_name)
        if module is not None:
            module.add_arguments(step_parser)
    return parser


def _load(module_name: str) -> ModuleType | None:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise


#: Steps that write outputs: each runs under the project's lock (`pipelines.core.lock.project`),
#: except ``run --isolated``, which writes only its own reports' files and locks them alone.
WRITING_STEPS = frozenset({"ingest", "validate", "run", "render", "report"})


def _waiting(step: str, seconds: float) -> None:
    """Says why a writing step does not start: another build of the project holds the lock."""
    print(
        f"[{step}] another build of this project is running; waiting for it "
        f"(up to {seconds:g} s, {lock.TIMEOUT_VARIABLE})",
        file=sys.stderr,
        flush=True,
    )


@contextmanager
def _signals_as_interrupts() -> Iterator[None]:
    """SIGTERM (a scheduler stopping the job) ends the step like Ctrl-C: through the same
    clean-up paths, leaving the previous outputs whole."""

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run one step, map errors to exit codes."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Build only the chosen step's parser, so --help of one step imports one module.
    chosen = [a for a in argv if a in STEPS][:1]
    parser = build_parser(chosen or None)
    args = parser.parse_args(argv)
    lazyimports.install(command=True)  # seconds of imports no step uses (see there)
    module = _load(args._module)
    if module is None:
        print(f"step '{args.step}' is not available in this version", file=sys.stderr)
        return ExitCode.USAGE
    try:
        shared = args.step in WRITING_STEPS and not getattr(args, "isolated", False)
        held = lock.project(args.step, partial(_waiting, args.step)) if shared else nullcontext()
        with _signals_as_interrupts(), held:
            return int(module.main(args))
    except (PipelineError, OSError) as exc:
        failure = failure_of(exc, args.step)
        if failure is None:
            raise
        print(failure[1], file=sys.stderr)
        return failure[0]
    except KeyboardInterrupt:
        print(f"[{args.step}] interrupted; previous outputs are left as they were", file=sys.stderr)
        return 130
