"""The only module that imports Great Expectations, and how it is tamed.

Importing GX takes seconds (it pulls in scipy, altair, jsonschema …), so it is imported here,
once per process, and only when a check actually runs: `pipelines.validate.quality` reading stored
results, or ``python -m pipelines --help``, never pay for it.

GX is set up so that it stays quiet and offline:

* ``GX_ANALYTICS_ENABLED=false`` is set before the import and ``analytics_enabled=False`` in
  the context config (usage statistics would otherwise be sent over the network);
* the context is ephemeral with in-memory stores: nothing is written, no ``gx/`` folder, no
  ``uncommitted/``, no Data Docs (which load CDN assets);
* progress bars are off through the context's ``progress_bars`` config; without it, every
  ``batch.validate`` prints tqdm "Calculating Metrics" bars to stderr;
* GX's deprecation warnings and log chatter are kept out of the user's terminal;
* GX's pandas engine fingerprints every batch under 1 GB with an md5 of pandas' row hashes, a
  batch marker nothing here reads: 0.6 s a million rows, turned off (``HASH_THRESHOLD``).

GX reports some failures oddly, handled in `_outcome`: results come back in a different order
from the suite (so they are matched by ``meta.rule``), and a rule that could not be computed
(missing column, values that do not compare with the bounds) is *not* an exception: it is a
``success: false`` with an empty result and the error nested in ``exception_info`` under a
metric id. Such a rule is reported as "could not be checked", never as passing.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from pipelines.validate.results import Outcome

if TYPE_CHECKING:
    import pandas as pd

#: Our severities as GX's own (shown by GX tooling; our meta.severity is what counts).
GX_SEVERITY = {"error": "critical", "warning": "warning"}


def to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """polars -> pandas through Arrow, with dtypes GX handles predictably.

    Integers and booleans become pandas' nullable dtypes, so a null does not turn an integer
    column into floats (which would break the type rules); dates stay ``datetime.date`` objects
    (Arrow's default), because GX turns a suite's "1990-01-01" bound into a `date` and a
    datetime64 column does not compare with it. The index is the row position, which is how
    failing rows are found again in the polars frame.
    """
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.int64(): pd.Int64Dtype(), pa.int8(): pd.Int8Dtype(), pa.bool_(): pd.BooleanDtype()}
    return frame.to_arrow().to_pandas(types_mapper=mapping.get)


class Session:
    """One quiet, offline, ephemeral GX context reused for every table of a run."""

    def __init__(self) -> None:
        os.environ["GX_ANALYTICS_ENABLED"] = "false"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations as gx
            from great_expectations.data_context.types.base import (
                DataContextConfig,
                InMemoryStoreBackendDefaults,
                ProgressBarsConfig,
            )
            from great_expectations.execution_engine import pandas_execution_engine
        pandas_execution_engine.HASH_THRESHOLD = 0
        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        self.gx = gx
        self.version: str = gx.__version__
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        )
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        asset = self.context.data_sources.add_pandas("processed").add_dataframe_asset("table")
        self._batch_definition = asset.add_batch_definition_whole_dataframe("whole")

    def suite(self, name: str, expectations: Sequence[Mapping[str, Any]]) -> Any:
        """A GX ExpectationSuite from suite-file dicts (not stored anywhere)."""
        configs = [{**e, "severity": GX_SEVERITY[e["meta"]["severity"]]} for e in expectations]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.gx.ExpectationSuite(name=name, expectations=configs)

    def validate(
        self,
        name: str,
        frame: pl.DataFrame,
        expectations: Sequence[Mapping[str, Any]],
        parameters: Mapping[str, Any],
        *,
        index: pl.Series | None = None,
    ) -> dict[str, Outcome]:
        """Run `expectations` on `frame`; outcomes by rule id. Failing rows are named by their
        position in `frame`, or by `index` (their positions in the table `frame` was cut from)."""
        suite = self.suite(name, expectations)
        data = to_pandas(frame)
        if index is not None:
            data.index = index.to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            batch = self._batch_definition.get_batch(batch_parameters={"dataframe": data})
            result = batch.validate(suite, result_format="COMPLETE", expectation_parameters=dict(parameters))
        outcomes = {}
        for item in result.results:
            outcome = _outcome(item)
            outcomes[outcome.rule] = outcome
        missing = [e["meta"]["rule"] for e in expectations if e["meta"]["rule"] not in outcomes]
        for rule in missing:  # never let a rule silently vanish
            outcomes[rule] = Outcome(rule=rule, success=False, errors=("GX returned no result for this rule",))
        return outcomes


def _errors(exception_info: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Error messages from GX's exception_info, flat or nested by metric id."""
    if not exception_info:
        return ()
    found: list[str] = []
    entries = [exception_info] if "raised_exception" in exception_info else list(exception_info.values())
    for entry in entries:
        if isinstance(entry, Mapping) and entry.get("raised_exception"):
            found.append(str(entry.get("exception_message") or "unknown error").strip())
    return tuple(sorted(set(found)))


def _outcome(item: Any) -> Outcome:
    result = item.result or {}
    indices = result.get("unexpected_index_list")
    return Outcome(
        rule=item.expectation_config.meta["rule"],
        success=bool(item.success),
        unexpected_count=int(result.get("unexpected_count") or 0),
        indices=None if indices is None else tuple(int(i) for i in indices),
        observed=result.get("observed_value"),
        errors=_errors(item.exception_info),
    )


_SESSION_LOCK = threading.Lock()
_SESSION: list[Session] = []


def session() -> Session:
    """The process's GX session, created on first use (GX is imported then), or by the thread
    `session_ahead` started, which this waits for."""
    with _SESSION_LOCK:
        if not _SESSION:
            _SESSION.append(Session())
        return _SESSION[0]


def session_ahead() -> None:
    """Start making the session in a thread, for a caller that knows it will need it and has
    other work first. Importing GX is seconds of Python (1.8 s here), the caller's work is
    mostly polars, which lets the thread run: after one figure changed, validate reads the
    tables and keys them while GX imports."""
    threading.Thread(target=session, name="gx-session").start()
