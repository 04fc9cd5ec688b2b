"""``python -m pipelines verify``: rebuild from scratch in a temporary copy and compare bytes.

Same inputs must give the same outputs: the Parquet tables and their manifests, the
validation results, the executed notebooks and sidecars, every HTML page and
``reports/manifest.json``. This step copies the project's inputs (data/raw, expectations,
notebooks, the `pipelines` code, the lock file) into a temporary folder, builds there exactly
as ``python -m pipelines report`` would (ingest, validate, run, render, with the options given
here), and compares every output with the project's, byte for byte.

It catches three kinds of fault: an output that depends on something other than its inputs
(the clock, a random id, an absolute path, the order of a dictionary), an incremental run that
left a report stale (a notebook reading more than it declares), and a file edited by hand.
Files only the project has (e.g. reports of an earlier build with other options) are listed
too. ``build/run.json`` and ``build/render.json`` are not compared: they hold timings. The
published site is also held to its own ``reports/manifest.json`` (`manifest.check_site`): every
file it lists published with that sha256, and nothing published that it does not list.

Exit code 0 when everything is identical, 1 when anything differs or the rebuild failed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.core import paths, store
from pipelines.core.errors import ExitCode
from pipelines.core.i18n import LANGS
from pipelines.render import manifest

#: What is copied into the scratch project: the inputs of a build, nothing it produces.
INPUTS = ("data/raw", "expectations", "notebooks", "pipelines", "schemas", "requirements.lock", "pyproject.toml")
#: The outputs compared, as globs under the project root: every published file (pages, data-quality
#: pages and ``quality/quarantine.csv``, downloads, the manifest).
OUTPUTS = (
    "data/processed/*.parquet",
    "data/processed/*.json",
    "reports/**/*",
    "build/notebooks/**/*.ipynb",
    "build/sidecars/**/*.json",
)


@dataclass(frozen=True)
class Difference:
    """One output that is not the same in both builds."""

    path: str
    kind: str  # "differs", "only in the project", "only in the rebuild", or what `published` found

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m pipelines verify`` (those of ``report``, plus where to keep the rebuild)."""
    parser.description = (
        "Rebuild everything from data/raw in a temporary copy of the project and compare "
        "the outputs byte for byte with the project's (Parquet, validation results, executed "
        "notebooks, HTML, manifests). Exit code 0 when identical, 1 otherwise."
    )
    parser.add_argument("--roadmap", default=None, help="rebuild only these roadmaps, as `report --roadmap`")
    parser.add_argument("--only", default=None, help="rebuild only these reports, as `report --only`")
    parser.add_argument("--lang", default=None, choices=LANGS, help="one language (default: every one)")
    parser.add_argument("--as-of", dest="as_of", default=None, help="as `report --as-of` (YYYY-MM-DD)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: cores)")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help="build in DIR (created, must not exist) and keep it, instead of a temporary folder",
    )


def copy_inputs(root: Path, target: Path) -> None:
    """The inputs of a build, copied from `root` into `target` (no outputs, no caches)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in INPUTS:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def outputs(root: Path) -> dict[str, Path]:
    """Every compared output under `root`, by its project-relative path."""
    found: dict[str, Path] = {}
    for pattern in OUTPUTS:
        for path in root.glob(pattern):
            if path.is_file() and not path.name.startswith("."):
                found[path.relative_to(root).as_posix()] = path
    return found


def compare(project: Path, rebuilt: Path) -> list[Difference]:
    """The outputs that differ between two project folders, sorted by path."""
    mine, theirs = outputs(project), outputs(rebuilt)
    differences = []
    for name in sorted(set(mine) | set(theirs)):
        if name not in theirs:
            differences.append(Difference(name, "only in the project"))
        elif name not in mine:
            differences.append(Difference(name, "only in the rebuild"))
        elif mine[name].stat().st_size != theirs[name].stat().st_size or store.sha256_file(
            mine[name]
        ) != store.sha256_file(theirs[name]):
            differences.append(Difference(name, "differs"))
    return differences


def published(project: Path) -> list[Difference]:
    """Where the project's published site and its manifest disagree (`manifest.check_site`)."""
    reports = project / "reports"
    return [Difference(f"reports/{name}", kind) for name, kind in manifest.check_site(reports)]


def steps(args: argparse.Namespace) -> list[list[str]]:
    """The commands of a build with these options, as ``pipelines report`` runs them."""
    run = ["run"]
    for flag, value in (
        ("--roadmap", args.roadmap),
        ("--only", args.only),
        ("--lang", args.lang),
        ("--as-of", args.as_of),
        ("--jobs", args.jobs),
    ):
        if value is not None:
            run += [flag, str(value)]
    render = (
        ["render"]
        + (["--lang", args.lang] if args.lang else [])
        + (["--roadmap", args.roadmap] if args.roadmap else [])
    )
    return [["ingest"], ["validate"], run, render]


def rebuild(root: Path, target: Path, args: argparse.Namespace) -> int:
    """Copy the inputs of `root` into `target` and build there; the worst exit code of the steps
    (1, a failed notebook, still builds the rest)."""
    copy_inputs(root, target)
    env = {
        **os.environ,
        "MINUSMA_ROOT": str(target),
        "PYTHONPATH": os.pathsep.join([str(target), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    worst = 0
    for step in steps(args):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pipelines", *step],
            cwd=target,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        print(
            f"[verify] {' '.join(step)}: exit code {done.returncode} in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        if done.returncode not in (0, 1):
            print(done.stdout[-4000:], file=sys.stderr)
            return done.returncode
        worst = max(worst, done.returncode)
    return worst


def main(args: argparse.Namespace) -> int:
    """Rebuild, compare, print the differences; 0 when there are none."""
    root = paths.ROOT
    if args.keep is not None:
        target = args.keep.resolve()
        if target.exists():
            print(f"[verify] {target} exists: give a folder to create", file=sys.stderr)
            return int(ExitCode.USAGE)
        target.mkdir(parents=True)
        scratch = None
    else:
        scratch = tempfile.TemporaryDirectory(prefix="minusma-verify-")
        target = Path(scratch.name)
    try:
        print(f"[verify] rebuilding from the inputs in {target}", flush=True)
        code = rebuild(root, target, args)
        if code not in (0, 1):
            print(f"[verify] the rebuild failed (exit code {code}); nothing compared", file=sys.stderr)
            return int(ExitCode.NOTEBOOK_FAILED)
        differences = published(root) + compare(root, target)
        compared = len(set(outputs(root)) | set(outputs(target)))
    finally:
        if scratch is not None:
            scratch.cleanup()
    if not differences:
        print(f"[verify] {compared} output(s) compared: all identical to a rebuild from scratch")
        return int(ExitCode.OK)
    print(f"[verify] {len(differences)} of {compared} output(s) differ from a rebuild from scratch:")
    for difference in differences:
        print(f"  {difference}")
    return int(ExitCode.NOTEBOOK_FAILED)
