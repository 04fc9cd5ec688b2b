"""Every check on a value before it becomes a parameter of a notebook: the languages, dates,
kernel name and paths of the command line, and the last gate before papermill.

Apart from the registry and the plan (`pipelines.run.jobs`) because this is the security of a
build: all checks happen before any kernel starts, so a typo on the command line costs nothing
and never leaves half a build (exit code 3, `UsageError`). Parameters reach papermill only as
plain ``str`` values that passed a check: roadmap and benchmark ids from the processed tables,
``fr``/``en``, ISO dates and project paths. Papermill writes them as quoted Python literals;
the checks make sure no value could close the quote and run code anyway.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.core import i18n
from pipelines.core.errors import UsageError

#: The languages every report is built in, in this order: those the catalogues have.
LANGS: tuple[str, ...] = i18n.LANGS

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KERNEL = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: Characters no parameter value may hold: quotes, backslash and control characters could only
#: serve to break out of the string literal papermill writes.
_UNSAFE = re.compile(r"[\"'\\\x00-\x1f\x7f]")


def check_langs(value: str | None) -> tuple[str, ...]:
    """``None`` means every language, in the fixed order of `LANGS`."""
    if value is None:
        return LANGS
    if value not in LANGS:
        raise UsageError(f"unknown language {value!r}: use {' or '.join(LANGS)}")
    return (value,)


def check_date(value: str | None, what: str, today: date) -> str:
    """An ISO date (YYYY-MM-DD), a real day, not after `today`; ``None``/"" stays ""."""
    if not value:
        return ""
    if not _ISO_DATE.fullmatch(value):
        raise UsageError(f"{what} {value!r} is not a date written YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{what} {value!r} is not a valid date") from None
    if day > today:
        raise UsageError(f"{what} {value} is in the future (today is {today.isoformat()})")
    return value


def check_since(value: str | None, as_of: str, today: date, names: tuple[str, str] = ("--since", "--as-of")) -> str:
    """``--since``: a date (`check_date`) before ``--as-of`` when that is given ("" for the
    default, the quarter end before the report's date); `names` are the two as the user wrote
    them (a notebook's parameters are ``since`` and ``as_of``)."""
    since = check_date(value, names[0], today)
    if since and as_of and since >= as_of:
        raise UsageError(f"{names[0]} {since} must come before {names[1]} {as_of}")
    return since


def check_kernel(name: str) -> str:
    if not _KERNEL.fullmatch(name):
        raise UsageError(f"kernel name {name!r} is not a plain name")
    return name


def check_path(path: Path, what: str, root: Path, allow_outside: bool) -> Path:
    """The absolute path; outside the project only with ``--allow-outside``."""
    resolved = (root / path).resolve() if not path.is_absolute() else path.resolve()
    if not allow_outside and not resolved.is_relative_to(root.resolve()):
        raise UsageError(f"{what} {path} is outside the project {root}; pass --allow-outside to use it")
    if _UNSAFE.search(str(resolved)):
        raise UsageError(f"{what} {path} holds a quote, backslash or control character")
    return resolved


def check_parameters(parameters: Mapping[str, Any]) -> dict[str, str]:
    """The last gate before papermill: every value a plain str with nothing that could end the
    string literal papermill writes (quotes, backslash, control characters)."""
    clean: dict[str, str] = {}
    for name, value in parameters.items():
        if not name.isidentifier() or type(value) is not str:
            raise UsageError(f"parameter {name!r} must be a plain string, got {type(value).__name__}")
        if _UNSAFE.search(value):
            raise UsageError(f"parameter {name}={value!r} holds a quote, backslash or control character")
        clean[name] = value
    return clean
