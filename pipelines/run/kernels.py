"""The kernel a worker process keeps between its notebooks, reset to a fresh kernel's state.

A report in a kernel of its own pays the kernel's start and the imports of polars, Altair and
the package again: about 1 s a notebook, as much as the 46 reports' own work on two workers
(``make bench``). So each worker keeps one kernel and hands it to papermill for each notebook
(`lease`), after a reset that leaves it as a new kernel would be for everything a notebook can
see: IPython's namespace and history emptied and its prompt count back to 1
(``InteractiveShell.reset(new_session=True)``), the working directory the notebook's, and the
warnings that print once per place able to print again. What a reset cannot undo is what makes
it worth it: the modules imported stay, with their module-level state; the package keeps none
that depends on a notebook's parameters, and a test runs every report both ways and compares
the notebooks byte for byte. ``run --fresh-kernels`` gives every notebook its own kernel.

A kernel is dropped (`discard`) after any notebook that did not end well (a cell that raised may
have left a module half-changed; a timed-out cell may still be running; a dead kernel is dead),
and when the next notebook wants another kernel or other start arguments; the next `lease`
starts a new one. The kernel's own messages (not a notebook's outputs, which papermill keeps in
the notebook) go to one log for every kernel of the run, since a kernel outlives the report it
started for. When the worker process ends, its kernel is stopped (`multiprocessing`'s finalizer);
a worker killed outright leaves a kernel that stops within a second by itself (ipykernel watches
its parent).

A worker warmed with spares (`warm` with ``spares``; the watch mode's, between builds) works the
other way: it starts that many kernels ahead of need, each with the notebooks' modules imported,
gives each notebook one of them, never used before, and stops it when the notebook is done; a
notebook that finds none left gets a kernel started for it. Nothing of one report can reach
another, and the start and the imports were paid while the analyst was editing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: What nbclient passes to the kernels it starts itself: IPython's history in memory, not in a
#: sqlite file shared by every kernel.
HISTORY_IN_MEMORY = "--HistoryManager.hist_file=:memory:"
#: The reset before each notebook, run silently (no output, no prompt number): the working
#: directory, the warnings' once-per-place registries (``_filters_mutated`` makes every module's
#: registry stale, as changing a filter does), then IPython's own reset, then ``gc.freeze()``.
#: The reset ends with a full garbage collection, which frees the last notebook's cycles but
#: also walks every object the imports made (polars, Altair, GX: 0.1 s each time), as do the
#: collections Python starts by itself while a notebook runs. Frozen, what survived the reset
#: (the modules and their state, kept anyway) is never walked again; each notebook's own objects
#: are collected as before. Cold run of the 46 reports: 10.6 -> 9.5 s, the same notebooks.
_RESET = (
    "import os as _o, warnings as _w; _o.chdir({cwd!r}); _w.onceregistry.clear(); "
    "getattr(_w, '_filters_mutated', lambda: None)(); get_ipython().reset(new_session=True); "
    "__import__('gc').freeze()"
)


class ResetFailed(RuntimeError):
    """A new kernel did not start or answer its reset (a kept one that fails its reset is
    replaced at once): the caller treats it as a kernel that did not start, and retries."""


@dataclass
class _Kept:
    manager: Any  # jupyter_client.AsyncKernelManager
    client: Any  # its AsyncKernelClient, channels open for as long as the kernel is kept
    key: tuple[str, tuple[str, ...]]


class _Shared:
    """The kept client as nbclient gets it: its channels stay open from one notebook to the
    next, and it is ready at once. A new client pays jupyter_client's ``wait_for_ready``, whose
    last step waits 0.2 s for the kernel's output channel to fall quiet, and nbclient opens one per
    notebook: 0.2 s a notebook for nothing, when the same channels answered the reset just now.
    nbclient reads only the messages that answer its own requests, so a message left over from
    the reset or an earlier notebook is never taken for a cell's output."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def start_channels(self, *args: Any, **kwargs: Any) -> None:
        """Open already."""

    def stop_channels(self) -> None:
        """Kept open for the next notebook; `discard` closes them."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Ready: the reset that `lease` ran on these channels was answered."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


class _Lent:
    """The kept kernel's manager as papermill gets it: the same, except that its client is the
    kept one (`_Shared`) rather than a new one."""

    def __init__(self, kept: _Kept) -> None:
        self._manager = kept.manager
        self._client = _Shared(kept.client)

    def client(self, **kwargs: Any) -> Any:
        return self._client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)


_KEPT: _Kept | None = None
_FINALIZER: Any = None
#: Kernels started ahead and never lent, in a worker warmed with spares (`warm`).
_SPARES: list[_Kept] = []
#: Whether this worker gives each notebook a kernel of its own (it was warmed with spares).
_FRESH = False


def lease(kernel_name: str, extra_arguments: list[str], cwd: str, start_timeout: int, log: Path) -> Any:
    """The worker's kernel for the next notebook, started if there is none (or it died, or
    the notebook wants another), reset in any case; in a worker warmed with spares, one of
    them never used before, or a new one; a kernel manager for papermill's ``km``.
    Hand it back with `release` when the notebook is done."""
    global _KEPT
    from jupyter_core.utils import run_sync

    key = (kernel_name, (*extra_arguments, HISTORY_IN_MEMORY))
    if _KEPT is not None and (_KEPT.key != key or _FRESH):
        discard()
    if _FRESH:
        _KEPT = _spare(key)
    if _KEPT is not None:
        try:
            run_sync(_reset)(_KEPT, cwd, start_timeout)
        except Exception:  # noqa: BLE001 - died since its last notebook: not a failure of this one
            discard()
    if _KEPT is None:
        try:
            _KEPT = run_sync(_start)(kernel_name, list(key[1]), cwd, log, start_timeout, key)
            _stop_at_exit()
            run_sync(_reset)(_KEPT, cwd, start_timeout)
        except Exception as exc:  # a new kernel that does not answer is not to be trusted
            discard()
            raise ResetFailed(f"Kernel didn't respond to its start or reset: {type(exc).__name__}: {exc}") from exc
    return _Lent(_KEPT)


def release(*, keep: bool) -> None:
    """The notebook is done: keep the kernel for the next one (`keep`, unless this worker gives
    each notebook its own), or stop it."""
    if not keep or _FRESH:
        discard()


def _spare(key: tuple[str, tuple[str, ...]]) -> _Kept | None:
    """A spare kernel started for `key` (the others are stopped: the notebooks want another
    kernel now), or None when none is left."""
    while _SPARES:
        kept = _SPARES.pop(0)
        if kept.key == key:
            return kept
        _stop(kept)
    return None


def discard() -> None:
    """Close the kept client's channels and stop its kernel at once (no shutdown request: it
    may be busy or dead)."""
    global _KEPT
    if _KEPT is None:
        return
    kept, _KEPT = _KEPT, None
    _stop(kept)


def _stop(kept: _Kept) -> None:
    """Close `kept`'s channels and stop its kernel at once."""
    from jupyter_core.utils import run_sync

    try:
        kept.client.stop_channels()
        run_sync(kept.manager.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - a kernel that is already gone needs no stopping
        pass


def _discard_all() -> None:
    """The kept kernel and every spare, stopped: this process is leaving."""
    discard()
    while _SPARES:
        _stop(_SPARES.pop())


async def _start(
    kernel_name: str, extra_arguments: list[str], cwd: str, log: Path, timeout: int, key: tuple[str, tuple[str, ...]]
) -> _Kept:
    from jupyter_client import AsyncKernelManager

    log.parent.mkdir(parents=True, exist_ok=True)
    manager = AsyncKernelManager(kernel_name=kernel_name)
    with log.open("ab") as handle:  # the kernel keeps its own copy of the descriptor
        await manager.start_kernel(extra_arguments=extra_arguments, cwd=cwd, stdout=handle, stderr=handle)
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=timeout)
    except BaseException:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)
        raise
    return _Kept(manager, client, key)


def warm(
    kernel_name: str,
    extra_arguments: list[str],
    cwd: str,
    start_timeout: int,
    log: Path,
    modules: list[str],
    spares: int = 0,
) -> None:
    """Start the worker's kernel before its first notebook, and import `modules` in it (each
    that imports: a module that fails is the notebook's to report): what the kernel of a
    worker that already ran a notebook holds, and what the next `lease` keeps after its reset.
    With `spares`, start that many such kernels instead, all at once, and give each notebook
    one of them, never used before (the module doc). A kernel that fails here is dropped; the
    next `lease` starts another."""
    global _FRESH
    from jupyter_core.utils import run_sync

    code = f"for _m in {sorted(modules)!r}:\n    try:\n        __import__(_m)\n    except ImportError:\n        pass"
    if spares > 0:
        _FRESH = True
        discard()
        key = (kernel_name, (*extra_arguments, HISTORY_IN_MEMORY))
        started = run_sync(_start_spares)(kernel_name, key, cwd, log, start_timeout, code, spares)
        _SPARES.extend(started)
        if started:
            _stop_at_exit()
        return
    try:
        lease(kernel_name, extra_arguments, cwd, start_timeout, log)
        assert _KEPT is not None
        run_sync(_silently)(_KEPT, code, start_timeout)
    except Exception:  # noqa: BLE001 - the notebook's own lease starts a kernel and says what fails
        discard()


async def _start_spares(
    kernel_name: str, key: tuple[str, tuple[str, ...]], cwd: str, log: Path, timeout: int, code: str, count: int
) -> list[_Kept]:
    """`count` kernels started together, `code` run in each: those that answered."""
    import asyncio

    async def one() -> _Kept:
        kept = await _start(kernel_name, list(key[1]), cwd, log, timeout, key)
        try:
            await _silently(kept, code, timeout)
        except BaseException:
            kept.client.stop_channels()
            await kept.manager.shutdown_kernel(now=True)
            raise
        return kept

    done = await asyncio.gather(*(one() for _ in range(count)), return_exceptions=True)
    return [kept for kept in done if isinstance(kept, _Kept)]


async def _reset(kept: _Kept, cwd: str, timeout: int) -> None:
    """Run `_RESET` (`_silently`)."""
    await _silently(kept, _RESET.format(cwd=cwd), timeout)


async def _silently(kept: _Kept, code: str, timeout: int) -> None:
    """Run `code` and wait for its reply on the shell channel (a silent request has no
    output), a second at a time, so that a kernel that died since its last notebook (which
    its manager may not know yet) is found out at once rather than after `timeout`."""
    from queue import Empty

    msg_id = kept.client.execute(code, silent=True, store_history=False)
    deadline = time.monotonic() + timeout
    while True:
        try:
            reply = await kept.client.get_shell_msg(timeout=1)
        except Empty:
            if not await kept.manager.is_alive():
                raise RuntimeError("the kernel died") from None
            if time.monotonic() > deadline:
                raise
            continue
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    if reply["content"].get("status") != "ok":
        raise RuntimeError(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")


def _stop_at_exit() -> None:
    """Stop the kernel when this process ends: a pool's worker leaves by ``os._exit``, which
    runs `multiprocessing`'s finalizers and not ``atexit``; a plain process runs both."""
    global _FINALIZER
    if _FINALIZER is None:
        import atexit
        from multiprocessing import util

        _FINALIZER = util.Finalize(None, _discard_all, exitpriority=10)
        atexit.register(_discard_all)
