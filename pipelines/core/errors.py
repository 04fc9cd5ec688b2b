"""Errors a user sees, and the exit codes the command line returns for them.

Every data error names the file, the row (1-based line in the file), the column, the value and
the rule it broke, so that whoever edits the raw file can find and fix it without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of ``python -m pipelines``, documented in the README."""

    OK = 0
    NOTEBOOK_FAILED = 1
    DATA_INVALID = 2
    USAGE = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or line) of one input file."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        shown = "" if self.value is None else f": value {self.value!r}"
        return f"{where}{shown} breaks rule '{self.rule}': {self.reason}"


class PipelineError(Exception):
    """An error that stops a step; carries the exit code the CLI returns."""

    exit_code: ExitCode = ExitCode.DATA_INVALID

    def __init__(self, message: str, *, step: str | None = None) -> None:
        super().__init__(message)
        self.step = step

    def __str__(self) -> str:
        text = super().__str__()
        return f"[{self.step}] {text}" if self.step else text


class DataError(PipelineError):
    """A whole input file cannot be read (wrong format, encoding, missing column, empty)."""

    exit_code = ExitCode.DATA_INVALID

    def __init__(self, problem: Problem, *, step: str | None = "ingest") -> None:
        super().__init__(str(problem), step=step)
        self.problem = problem


class UsageError(PipelineError):
    """A bad command-line argument or parameter: refused before any work starts."""

    exit_code = ExitCode.USAGE
