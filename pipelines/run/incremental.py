"""Whether a report must run again, and why: the cache key of `pipelines.run.schedule`.

A report's key is everything its executed notebook depends on:

* ``notebook``, ``parameters``, ``kernel``;
* ``code``: the `pipelines` package the notebook imports; ``lock``: requirements.lock, i.e.
  the versions of everything else;
* ``as_of``: the date the report speaks of (the parameter, else the latest date in the data);
* ``slice``: the hashes of the parts of the data it reads (`pipelines.run.slices`);
* for the overview, ``sidecars`` too: the results the other reports of its language wrote.

Reading the slices means reading the tables, so a run first compares the *basis* (the ingest
manifest's data checksum and the validation results' checksum) with the last run's: when both
are equal, the slices are the last run's and no table is opened. That is the no-change path:
a few small files hashed, no polars query, no worker, no kernel.

The decision is explained in words, kept in ``run.json`` and shown by the run: "ran: data of
benchmark D changed", "ran: code of pipelines/ changed", "skipped: unchanged".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.core import fingerprints, store
from pipelines.core.fingerprints import code_checksum, data_checksum, file_checksum
from pipelines.run import slices
from pipelines.run.jobs import Job, Layout

#: Key parts in the order a reason names them.
_LABELS = {
    "notebook": "notebook changed",
    "parameters": "parameters changed",
    "code": "code of pipelines/ changed",
    "lock": "lock file changed",
    "kernel": "kernel changed",
    "as_of": "date of the report moved",
}


@dataclass
class Decision:
    """Run or not, why, and the key to record."""

    run: bool
    reason: str
    inputs: dict[str, Any]
    basis: dict[str, str]

    @property
    def fingerprint(self) -> str:
        return fingerprints.of(self.inputs)


class Planner:
    """Computes each job's key against the last run's record, once per run."""

    def __init__(self, layout: Layout, kernel: str, record: Mapping[str, Any], *, code: str | None = None) -> None:
        self.layout = layout
        self.record = record
        self.common = {
            "code": code if code is not None else code_checksum(layout.root / "pipelines"),
            "lock": file_checksum(layout.root / "requirements.lock"),
            "kernel": kernel,
        }
        self.basis = {
            "data": data_checksum(layout.processed),
            "validation": file_checksum(layout.processed / store.VALIDATION_RESULTS),
        }
        self.data = slices.Data(layout.processed, layout.root / "data" / "raw")
        self._notebooks: dict[Path, str] = {}
        # each part's hash, once per planning: a report's two languages read the same parts,
        # and the thematic reports, the brief and the overview those of the benchmarks
        self._parts: dict[str, str] = {}

    def _notebook(self, path: Path) -> str:
        if path not in self._notebooks:
            self._notebooks[path] = store.sha256_file(path)
        return self._notebooks[path]

    def _part(self, name: str, previous: Mapping[str, str], same_basis: bool) -> str:
        if same_basis and name in previous and not name.startswith("file "):
            return previous[name]
        if name not in self._parts:
            self._parts[name] = self._hash_part(name)
        return self._parts[name]

    def _hash_part(self, name: str) -> str:
        kind, _, arg = name.partition(" ")
        if kind == "file":
            return self.data.files(arg)
        roadmap, _, rest = arg.partition("/")
        if kind == "benchmark":
            return self.data.benchmark(roadmap, rest)
        if kind == "indicators":
            return self.data.indicators(roadmap, rest)
        return self.data.definitions(roadmap)

    def inputs(self, job: Job, previous: Mapping[str, Any] | None) -> dict[str, Any]:
        """The key of `job`; parts of the data are taken from `previous` when the basis is
        the same (no table is read then)."""
        before = (previous or {}).get("inputs") or {}
        same_basis = (previous or {}).get("basis") == self.basis
        r = job.roadmap
        names = [f"benchmark {r}/{x}" for x in job.reads_benchmarks] + [
            f"indicators {r}/{p}" for p in job.reads_indicators
        ]
        sidecars = None
        if job.kind == "overview":
            folder = self.layout.sidecars(r, job.lang)
            sidecars = {p.name: store.sha256_file(p) for p in sorted(folder.glob("*.json"))}
            # A benchmark's scorecard row comes from its sidecar, but its status history and its
            # changes from the tables: the overview reads every benchmark's data as well.
            names = [f"definitions {r}", *names]
        names += [f"file {p}" for p in job.reads_files]
        previous_slice = before.get("slice") or {}
        key: dict[str, Any] = {
            **self.common,
            "notebook": self._notebook(job.notebook),
            "parameters": dict(job.parameters),
            "as_of": job.parameters.get("as_of")
            or (before.get("as_of") if same_basis and "as_of" in before else self.data.latest_date(r)),
            "slice": {name: self._part(name, previous_slice, same_basis) for name in names},
        }
        if sidecars is not None:
            key["sidecars"] = sidecars
        return key

    def decide(self, job: Job, previous: Mapping[str, Any] | None, *, force: bool) -> Decision:
        """Whether `job` runs, and why, from the last run's entry."""
        inputs = self.inputs(job, previous)
        reason = _why(job, previous, inputs, force)
        return Decision(
            run=reason is not None,
            reason=f"ran: {reason}" if reason else "skipped: unchanged",
            inputs=inputs,
            basis=dict(self.basis),
        )


def data_read(entry: Mapping[str, Any]) -> str:
    """The checksum of the data a report read, as its page and the manifest print it: the
    sha256 of its key's slice (`Planner.inputs`: the hashes of the parts of the tables and raw
    files it reads) as sorted JSON (`fingerprints.of`); the manifest lists those parts under
    the report's ``inputs.data``. Two pages printing the same checksum rest on the same rows,
    and a figure of another benchmark or roadmap leaves it as it was, so that page is not
    drawn again (a roadmap's checksum, printed before, changed every page of the roadmap with
    each figure). "" for an entry with no key (a record of an earlier layout, a job that never
    planned)."""
    part = (entry.get("inputs") or {}).get("slice")
    return fingerprints.of(part) if isinstance(part, Mapping) else ""


def _why(job: Job, previous: Mapping[str, Any] | None, inputs: Mapping[str, Any], force: bool) -> str | None:
    """Why `job` must run, or None when its last good run still stands."""
    if force:
        return "--force"
    if not previous:
        return "no earlier run"
    if previous.get("status") != "ok":
        return "its last run failed"
    if not job.output.exists():
        return "its executed notebook is missing"
    if previous.get("output_sha256") and store.sha256_file(job.output) != previous["output_sha256"]:
        return "its executed notebook was written by something else since (another tool's output)"
    if job.sidecar is not None and previous.get("sidecar_written") and not job.sidecar.exists():
        return "its sidecar is missing"
    before = previous.get("inputs")
    if not isinstance(before, dict):
        return "no key recorded by the earlier run"
    reasons = [label for name, label in _LABELS.items() if before.get(name) != inputs.get(name)]
    changed = slices.changed(before.get("slice"), inputs["slice"])
    if changed:
        reasons.append(f"data of {', '.join(changed)} changed")
    if before.get("sidecars") != inputs.get("sidecars"):
        names = slices.changed(before.get("sidecars"), inputs.get("sidecars") or {})
        reasons.append(f"sidecars changed: {', '.join(n.removesuffix('.json') for n in names)}")
    return "; ".join(reasons) or None
