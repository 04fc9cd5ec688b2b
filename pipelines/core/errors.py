"""Errors a user sees, and the exit codes the command line returns for them.

Every data error names the file, the row (1-based line in the file; for a spreadsheet, its
sheet and row), the column, the value and the rule it broke, so that whoever edits the raw
file can find and fix it without reading code.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from pipelines.core import paths


class ExitCode(IntEnum):
    """Exit codes of ``python -m pipelines``, documented in the README."""

    OK = 0
    NOTEBOOK_FAILED = 1
    DATA_INVALID = 2
    USAGE = 3
    ENVIRONMENT = 4


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or line) of one input file.

    In a YAML file, `column` is the key path (``benchmarks[3].indicators[0].unit``) and
    `character` the column of the line where that key starts, as an editor counts it: the
    message then reads ``line 12, column 5, key 'benchmarks[3].indicators[0].unit'``."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    reason: str
    character: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", {row_word(self.file)} {self.line}"
            if self.character is not None:
                where += f", column {self.character}"
        if self.column:
            where += f", {'column' if self.character is None else 'key'} '{self.column}'"
        shown = "" if self.value is None else f": value {self.value!r}"
        return f"{where}{shown} breaks rule '{self.rule}': {self.reason}"


def in_sheet(file: str, sheet: str) -> str:
    """Where a row of a spreadsheet comes from, as every message and ``file`` column shows it:
    ``data/raw/x.xlsx, sheet 'observations'``. One string, so that the quarantine, the
    validation results and the reports' data-quality pages name the sheet without a column of
    their own, and a sheet is told from a CSV wherever a file is named."""
    return f"{file}, sheet '{sheet}'"


_IN_SHEET = re.compile(r"(?P<file>.+), sheet '(?P<sheet>.*)'", re.S)


def sheet_of(file: str) -> tuple[str, str | None]:
    """The file and the sheet of a location `in_sheet` wrote; (file, None) for a text file."""
    found = _IN_SHEET.fullmatch(file)
    return (found["file"], found["sheet"]) if found else (file, None)


def row_word(file: str) -> str:
    """What a location's number counts: a sheet's *row* (as the spreadsheet shows it), a text
    file's *line* (as an editor shows it)."""
    return "line" if sheet_of(file)[1] is None else "row"


class PipelineError(Exception):
    """An error that stops a step; carries the exit code the CLI returns."""

    exit_code: ExitCode = ExitCode.DATA_INVALID

    def __init__(self, message: str, *, step: str | None = None) -> None:
        super().__init__(message)
        self.step = step

    def __str__(self) -> str:
        text = super().__str__()
        return f"[{self.step}] {text}" if self.step else text

    def labelled(self, command: str) -> str:
        """The message under the command the user ran, as the command line prints it: `report`'s
        refused ``--as-of`` is report's option, though its run step checked it; a step of
        `command` that failed on the data is named after the label."""
        text = Exception.__str__(self)
        if self.step and self.step != command and self.exit_code != ExitCode.USAGE:
            text = f"{self.step}: {text}"
        return f"[{command}] {text}"


class DataError(PipelineError):
    """A whole input file cannot be read (wrong format, encoding, missing column, empty)."""

    exit_code = ExitCode.DATA_INVALID

    def __init__(self, problem: Problem, *, step: str | None = "ingest") -> None:
        super().__init__(str(problem), step=step)
        self.problem = problem


class UsageError(PipelineError):
    """A bad command-line argument or parameter: refused before any work starts."""

    exit_code = ExitCode.USAGE

    def _render_traceback_(self) -> list[str]:
        """What IPython shows of a refused parameter in a notebook (papermill, nbconvert, Lab):
        the one line that names it, not the traceback of the checks that refused it."""
        return [f"{type(self).__name__}: {self}"]


#: What the machine, not the data nor a notebook, refuses: no permission, a read-only file
#: system, a full disk or quota, a file over the size limit, a folder that cannot be renamed
#: (a mount point, or across file systems).
ENVIRONMENT_ERRNOS = frozenset(
    {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EBUSY, errno.EXDEV}
)


class EnvironmentFailure(PipelineError):
    """A write or read the machine refused (`ENVIRONMENT_ERRNOS`): its own exit code, so that a
    scheduler tells a full disk from broken data, and one line naming the step and the path
    instead of a traceback."""

    exit_code = ExitCode.ENVIRONMENT

    @classmethod
    def of(cls, exc: OSError, step: str) -> EnvironmentFailure | None:
        """The failure `exc` is, or None when it is not the environment's."""
        if exc.errno not in ENVIRONMENT_ERRNOS:
            return None
        where = paths.display(Path(exc.filename)) if exc.filename else "a file"
        return cls(
            f"cannot write {where}: {exc.strerror} ({errno.errorcode[exc.errno]}); the previous outputs are "
            "left as they were: make the folder writable or free some space, then build again",
            step=step,
        )


def failure_of(exc: BaseException, command: str) -> tuple[int, str] | None:
    """What the command line prints (``error: …``) and exits with when `command` raised `exc`;
    None for an exception that is no failure of ours (a bug: its traceback is wanted). One home
    for the command line and for the watch mode, which runs its builds in its own process."""
    if isinstance(exc, PipelineError):
        return int(exc.exit_code), f"error: {exc.labelled(command)}"
    if isinstance(exc, OSError):
        failure = EnvironmentFailure.of(exc, command)
        if failure is not None:
            return int(failure.exit_code), f"error: {failure}"
    return None
