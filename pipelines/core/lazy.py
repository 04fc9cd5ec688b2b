"""Submodules a package imports when they are first read, not when it is imported.

A report's package (``pipelines.reports.glossary``) offers its ``panels`` to notebooks as
``glossary.panels``; the panels import Altair. The message catalogues read only the report's
light lists (its terms, its groups), and ``python -m pipelines --help`` builds every step's parser
through them: a package-level ``__getattr__`` (PEP 562) keeps Altair out of that start.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType


def submodules(package: str, *names: str) -> Callable[[str], ModuleType]:
    """A ``__getattr__`` for ``package`` that imports each of ``names`` when first read."""

    def __getattr__(name: str) -> ModuleType:
        if name in names:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
