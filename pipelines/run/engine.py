"""The papermill engine the runner executes notebooks with: papermill's own nbclient engine,
saving the notebook less often.

Papermill writes the whole output notebook when each cell starts and when it ends: for a report
of 30-odd cells (the narrative's markdown cells included) and 0.2-1 MB of outputs, 60-70 writes,
about a fifth of the report's time. This engine writes it when the run starts, after a cell when
`autosave_cell_every` seconds have passed since the last write (papermill's own throttle), and
when the run ends with a dying kernel or a timeout (papermill's ``finally``, after which
papermill itself writes nothing): the notebook kept after such a failure holds every output up
to the cell that was running, as before. A run that ends otherwise, a cell error included, is
written by papermill itself right after (`papermill.execute`), so it is not written twice (each
write is a deep copy, a pure-Python JSON encoding and a schema check of the whole notebook).
Only a worker process killed outright keeps less (then the run records the failure from its own
side).

Registered in papermill's engine registry (`register`), as papermill's seams intend, and used by
`pipelines.run.worker` by its name.
"""

from __future__ import annotations

from typing import Any

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

ENGINE = "minusma"


class _FewerSaves(NotebookExecutionManager):
    """Papermill's bookkeeping of a run, with the writes of each cell's start and end held back
    to the autosave throttle."""

    _held = False

    def save(self, **kwargs: Any) -> None:
        if not self._held:
            super().save(**kwargs)

    def cell_start(self, cell: Any, cell_index: int | None = None, **kwargs: Any) -> None:
        self._held = True
        try:
            super().cell_start(cell, cell_index, **kwargs)
        finally:
            self._held = False

    def cell_complete(self, cell: Any, cell_index: int | None = None, **kwargs: Any) -> None:
        self._held = True
        try:
            super().cell_complete(cell, cell_index, **kwargs)
        finally:
            self._held = False
        self.autosave_cell()

    def notebook_complete_unsaved(self, **kwargs: Any) -> None:
        """`notebook_complete` without its write: for a run that papermill writes itself next."""
        self._held = True
        try:
            super().notebook_complete(**kwargs)
        finally:
            self._held = False


class FewerSavesEngine(NBClientEngine):
    """`NBClientEngine` with `_FewerSaves` as its manager (papermill's `Engine.execute_notebook`,
    whose manager class is fixed, with ours)."""

    @classmethod
    def execute_notebook(
        cls,
        nb: Any,
        kernel_name: str,
        output_path: str | None = None,
        progress_bar: bool = True,
        log_output: bool = False,
        autosave_cell_every: int = 30,
        **kwargs: Any,
    ) -> Any:
        manager = _FewerSaves(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        manager.notebook_start()
        try:
            cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
        except BaseException:  # a dying kernel, a timeout: papermill writes nothing after this
            manager.cleanup_pbar()
            manager.notebook_complete()
            raise
        manager.cleanup_pbar()
        manager.notebook_complete_unsaved()  # papermill writes the notebook itself once this returns
        return manager.nb


def register() -> str:
    """Make the engine known to papermill; its name, for ``execute_notebook(engine_name=...)``."""
    papermill_engines.register(ENGINE, FewerSavesEngine)
    return ENGINE
