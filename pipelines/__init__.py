"""Pipelines for the peace-operation roadmap notebooks (one roadmap file per mission: S/2021/300,
S/2021/807, ...): raw files -> processed tables ->
validated data -> executed notebooks -> offline HTML reports.

Run the steps with ``python -m pipelines <step>``; ``python -m pipelines --help`` lists them.

Imports follow the data flow, one way (checked by ``tests/test_imports.py``, which reads every
import, those inside functions too):

* ``pipelines.core`` (paths, the error contract, schemas and store, publishing, safe YAML,
  geography, report strings) imports nothing else of the project;
* nothing imports the command line (``pipelines.cli``), but the build that chains its steps
  (``pipelines.run.report``) and ``python -m pipelines``.

The other steps still live side by side in this folder, until each has a room of its own
(ingest, validate, analysis, present, run, render, tools) under the same kind of rule.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
