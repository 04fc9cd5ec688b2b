"""The reports other than a benchmark's, one folder each: its declaration (``report.yaml``, read
by `pipelines.core.declarations`), and its own sums and panels where it has them. A report's
notebook, in ``notebooks/``, imports its folder: ``from pipelines.reports import ddr`` gives
``ddr.sums`` and ``ddr.panels``.

In the import rule this folder comes after ``present`` and before ``run``: a report's sums use
the analysis of every report (``analysis``) and its panels the common panels (``present``);
nothing before it imports a report, and no report imports another.
"""
