"""Publishing a folder of pages as one set: a reader sees the previous set or the new one,
never a mix of the two, whenever the build is stopped.

A whole site (``reports/``) is published in one step (`site_staging`, `carry_over`, `switch`):
the complete new site is built in a folder beside it (``.reports.staging``), the files this
build does not change hard-linked from the published one (no copy: a link is a name, not
bytes), and the two folders are then exchanged by one ``renameat2(RENAME_EXCHANGE)``. So
``reports/`` stays a real folder at the same path (opened from ``file://``, served, globbed
like any other), and every file under it comes from one build at every instant. The folder-
by-folder functions below remain for folders published alone (the data-quality pages of a
check under ``build/``).

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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

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
        target = root / aside.name[len(ASIDE) :]
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


def _real(target: Path) -> Path:
    """The folder a site is published in: `target`, or where it links to (a ``reports`` link to
    a served folder stays a link; the folder it names is replaced)."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def site_staging(target: Path) -> Path:
    """Where the next whole `target` site is built: a folder beside it, on the same file system
    (an exchange cannot cross one), and not inside it (a folder cannot be exchanged with its
    own content)."""
    target = _real(target)
    return target.parent / f".{target.name}.staging"


def site_aside(target: Path) -> Path:
    """Where the published site waits while its successor is moved in, on a system that cannot
    exchange two folders (`switch`)."""
    target = _real(target)
    return target.parent / f".{target.name}.old"


def recover_site(target: Path) -> None:
    """Undo what an interrupted publish of the site `target` left: the previous site put back
    when a build died between the two renames of `switch`'s fallback, any staged or previous
    site beside it removed, and what the earlier folder-by-folder publishing left inside it."""
    target, aside = _real(target), site_aside(target)
    if aside.is_dir():
        if target.exists():  # the new site arrived: the previous one is garbage
            shutil.rmtree(aside)
        else:
            os.rename(aside, target)
    shutil.rmtree(site_staging(target), ignore_errors=True)
    if target.is_dir():
        recover(target)
        for folder in sorted(p for p in target.iterdir() if p.is_dir() and not p.is_symlink()):
            recover(folder)


@contextmanager
def site_cleaned(target: Path) -> Iterator[None]:
    """`cleaned` for a whole site: on the way out of a failed publish nothing staged stays
    beside `target` (a full disk stays full otherwise)."""
    try:
        yield
    except BaseException:
        with suppress(OSError):
            recover_site(target)
        raise


def new_site(target: Path) -> Path:
    """An empty staging folder for the whole of `target` (after `recover_site`). A published
    folder the build may not write is refused here, before anything is staged: exchanging it
    would replace a folder its owner made read-only."""
    if target.is_dir() and not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(target))
    folder = site_staging(target)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def carry(source: Path, destination: Path) -> None:
    """`destination` with the bytes of the published `source`: a hard link where the file
    system allows it (files are only ever replaced by a rename, never written in place, so the
    two names never see different bytes), else a copy."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, destination)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        shutil.copyfile(source, destination)


def carry_over(target: Path, staged: Path, replaced: Iterable[str]) -> None:
    """Complete the staged site with every published file of `target` this build does not
    replace: all but the folders and files of `replaced` (paths relative to `target`) and what
    the site already stages. Links are recreated as links, never followed."""
    if not target.is_dir():
        return
    gone = {PurePosixPath(r) for r in replaced}
    for folder, dirs, files in os.walk(target):
        here = Path(folder)
        relative = PurePosixPath(here.relative_to(target).as_posix())
        dirs[:] = sorted(
            d
            for d in dirs
            if relative / d not in gone
            and not (relative == PurePosixPath(".") and (d == STAGING or d.startswith(ASIDE)))
        )
        (staged / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(files) + [d for d in dirs if (here / d).is_symlink()]:
            source, destination = here / name, staged / relative / name
            if relative / name in gone or destination.exists() or destination.is_symlink():
                continue
            if source.is_symlink():
                os.symlink(os.readlink(source), destination)
            else:
                carry(source, destination)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]


def switch(staged: Path, target: Path) -> None:
    """Make the complete site `staged` the site `target` in one step: one exchange of the two
    folders (Linux), after which the previous site, now in `staged`, is removed. Where the
    system cannot exchange folders, the published one is moved aside and the new one in; a
    build killed between the two renames has its previous site put back by the next build
    (`recover_site`)."""
    target = _real(target)
    try:
        if not target.exists():
            os.rename(staged, target)
            return
        exchanged = _exchange(staged, target)
        if not exchanged:
            aside = site_aside(target)
            shutil.rmtree(aside, ignore_errors=True)
            os.rename(target, aside)
    except OSError as exc:
        if exc.errno in (errno.EBUSY, errno.EXDEV):  # nothing moved yet: the previous site is whole
            raise OSError(
                exc.errno,
                f"{target.name}/ cannot be renamed (a mount point, or not on the file system "
                "of the folder holding it: mount that folder instead)",
                str(target),
            ) from exc
        raise
    if exchanged:
        shutil.rmtree(staged)  # now holds the previous site
    else:
        os.rename(staged, target)
        shutil.rmtree(aside)


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
