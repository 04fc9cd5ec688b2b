"""Pipelines for the peace-operation roadmap notebooks (one roadmap file per mission: S/2021/300,
S/2021/807, ...): raw files -> processed tables ->
validated data -> executed notebooks -> offline HTML reports.

Run the steps with ``python -m pipelines <step>``; ``python -m pipelines --help`` lists them.

The package is in folders by step, in the order the data flows:

* ``core``: what every step stands on (paths, errors, schemas and store, publishing, the build
  locks, safe YAML, geography, report strings, fingerprints and the ingest/validate cache key,
  safe CSV text);
* ``ingest``: raw files -> typed Parquet, the loaders of downloaded extracts, the quarantine;
* ``validate``: suites, rules, Great Expectations, results, data-quality pages, and the reader
  of results (``quality``) that never imports GX;
* ``analysis``: the sums (assessment, benchmark views, history, confidence, reviews);
* ``present``: what a notebook displays (panels, charts, maps, HTML fragments, its renderer);
* ``reports``: one folder per report other than a benchmark's (its declaration, its own sums and
  panels: the women's quota, DDR, poverty and WASH, the roadmap's figures, the brief, ...);
* ``run``: the report registry, a report's context, the plan and its cache keys, execution;
* ``render``: executed notebooks -> offline HTML, its cache, the CSV downloads;
* ``tools``: the whole build (``report``), verify, bench, synthetic data, spreadsheet templates,
  the Airflow DAG.

Imports go one way (checked by ``tests/test_architecture.py``, which reads every import, those
inside functions too): each folder imports only its own and those before it, core <- ingest
<- validate <- analysis <- present <- reports <- run <- render <- tools; nothing imports the command line
(``pipelines.cli``) but ``python -m pipelines``: the build that chains the steps
(``pipelines.tools.report``) calls each step's own entry. No back-import is allowed.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
