"""The deferred imports: importing Great Expectations (as `validate` does) no longer loads
SciPy's statistics nor the RFC 3987 grammar, and both still work the moment they are used.
Each case in a fresh interpreter, since a module once imported stays."""

from __future__ import annotations

import subprocess
import sys

from tests.support import ROOT


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_great_expectations_leaves_the_deferred_modules_unloaded() -> None:
    out = _python(
        "from pipelines.run import lazyimports; lazyimports.install(); import great_expectations, sys; "
        "print(sorted(m for m in ('scipy.stats._stats_py', 'scipy.optimize', 'rfc3987_syntax.utils') "
        "if m in sys.modules))"
    )
    assert out == "[]"


def test_a_deferred_module_works_when_it_is_used() -> None:
    out = _python(
        "from pipelines.run import lazyimports; lazyimports.install(); import great_expectations\n"
        "from scipy import stats; import rfc3987_syntax\n"
        "print(round(float(stats.entropy([0.5, 0.5])), 4), rfc3987_syntax.is_valid_syntax('iri', 'http://a.b/c'))"
    )
    assert out == "0.6931 True"


def test_the_command_line_leaves_altair_to_the_kernels() -> None:
    # validate imports GX, which imports Altair for Data Docs charts: the command's own process
    # loads none of it, and Altair works the moment something of it is used; a kernel's is real
    out = _python(
        "from pipelines.run import lazyimports; lazyimports.install(command=True); import great_expectations, sys\n"
        "print('altair.vegalite.v6.schema.core' in sys.modules)\n"
        "import altair as alt; print(alt.Chart({'values': [{'a': 1}]}).mark_point().to_dict()['mark'])"
    )
    assert out.splitlines() == ["False", "{'type': 'point'}"]
    out = _python(
        "from pipelines.run import lazyimports; lazyimports.install(); import altair, sys\n"
        "print('altair.vegalite.v6.schema.core' in sys.modules)"
    )
    assert out == "True"
