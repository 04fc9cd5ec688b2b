"""Pipelines for the peace-operation roadmap notebooks (one roadmap file per mission: S/2021/300,
S/2021/807, ...): raw files -> processed tables ->
validated data -> executed notebooks -> offline HTML reports.

Run the steps with ``python -m pipelines <step>``; ``python -m pipelines --help`` lists them.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
