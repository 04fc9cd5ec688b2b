"""Publishing a folder of pages as one set: a reader sees the previous set or the new one,
never a mix of the two, whenever the build is stopped.

Each page is already written atomically, but a language's reports link to one another and its
index lists them: a build killed after the fifth of nine pages would leave an index that
describes pages that are not there yet. So the pages of a folder are written into a staging
folder beside it (``reports/.staging/<name>``), and the staging folder then takes the published
folder's place:

* on Linux, in one ``renameat2(RENAME_EXCHANGE)`` call, which swaps two folders atomically;
* elsewhere (or on a file system that refuses the exchange), by moving the published folder
  aside to ``.old-<name>`` and the new one in; if the build dies between the two renames, the
  next build's `recover` puts the previous folder back before doing anything else.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

STAGING = ".staging"
ASIDE = ".old-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def recover(root: Path) -> None:
    """Undo what an interrupted build left in `root`: put back any folder moved aside whose
    replacement never arrived, and drop half-written staging and aside folders."""
    if not root.is_dir():
        return
    for aside in sorted(root.glob(f"{ASIDE}*")):
        target = root / aside.name[len(ASIDE):]
        if target.exists():
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.rename(aside, target)
    shutil.rmtree(root / STAGING, ignore_errors=True)


@contextmanager
def cleaned(root: Path) -> Iterator[None]:
    """Whatever stops the block (a full disk, a refused write, an interrupt), leave `root` as
    `recover` leaves it on the way out: a staging folder left behind would keep a full disk
    full until the next build."""
    try:
        yield
    except BaseException:
        with suppress(OSError):  # the file system that failed may refuse the clean-up too
            recover(root)
        raise


def staging(root: Path, name: str) -> Path:
    """An empty folder in which to build the new `root/name` (call `recover` once before)."""
    folder = root / STAGING / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def publish(staged: Path, target: Path) -> None:
    """Make `staged` the content of `target`, in one step where the system allows it."""
    if not target.exists():
        os.rename(staged, target)
    elif _exchange(staged, target):
        shutil.rmtree(staged)  # now holds the previous set
    else:
        aside = target.parent / f"{ASIDE}{target.name}"
        shutil.rmtree(aside, ignore_errors=True)
        os.rename(target, aside)
        os.rename(staged, target)
        shutil.rmtree(aside)
    parent = staged.parent
    if parent.name == STAGING and not any(parent.iterdir()):
        parent.rmdir()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a libc older than glibc 2.28
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # kernel or file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))
