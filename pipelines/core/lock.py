"""The locks that keep two builds from writing the same files, and the usage error when one is held.

Two writers at once would interleave their writes, so:

* the project's lock (`PROJECT_LOCK`, at its root) lets one writing step of a project run at a
  time: the command line takes it for each of them (`pipelines.cli`). A second build waits
  for the first, saying so, up to ``MINUSMA_LOCK_TIMEOUT`` seconds (default 900), then gives up;
* a build folder's lock (``<build>/.lock``) keeps a `run` and a `render` from using one build
  folder at once, whichever project or caller they come from; the second gives up at once.

Either way the one who gives up raises `UsageError` (exit code 3) and has written nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from pipelines.core import paths
from pipelines.core.errors import UsageError

#: The project's lock file, at its root.
PROJECT_LOCK = ".pipelines.lock"
#: How long, in seconds, a writing step waits for another build of the project (default 900).
TIMEOUT_VARIABLE = "MINUSMA_LOCK_TIMEOUT"


@contextmanager
def held(
    path: Path, step: str, busy: str, *, wait: float = 0.0, waiting: Callable[[float], None] | None = None
) -> Iterator[None]:
    """Hold the lock file `path` for the block: at once when it is free, else after telling
    `waiting` (with the seconds it will wait) and waiting up to `wait` seconds; failing that,
    `UsageError(busy)` in the name of `step`."""
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if waiting is not None:
            waiting(wait)
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise UsageError(busy, step=step) from None
    try:
        yield
    finally:
        lock.release()


def project(
    step: str, waiting: Callable[[float], None] | None = None, root: Path = paths.ROOT
) -> AbstractContextManager[None]:
    """The project's lock, for one writing `step`: waits up to ``MINUSMA_LOCK_TIMEOUT`` seconds."""
    timeout = float(os.environ.get(TIMEOUT_VARIABLE, "900"))
    return held(
        root / PROJECT_LOCK,
        step,
        f"another build still holds {PROJECT_LOCK} after {timeout:g} s; try again when it has finished",
        wait=timeout,
        waiting=waiting,
    )


def build_folder(build: Path, step: str, root: Path = paths.ROOT) -> AbstractContextManager[None]:
    """The lock of the build folder `build`, taken by `run` and `render`: never waited for."""
    return held(build / ".lock", step, f"another run or render is using {paths.display(build, root)}")
