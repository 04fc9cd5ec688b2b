"""The data-quality pages: ``reports/quality/<table tabindex="0">.html`` and an index linking them.

Our own rendering, not GX Data Docs: Data Docs pull CSS and scripts from CDNs, and these pages
are read offline from a mail attachment or a shared drive. So each page is one file with its
CSS inline, no script and no external request. Everything that comes from the data (titles,
notes, values, file names) goes through Jinja2's autoescaping; nothing from the data becomes a
link (a source url of ``javascript:…`` stays text). No date or time is printed, so a rerun on the
same data gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

import jinja2
import polars as pl
from markupsafe import Markup

from pipelines.core.errors import sheet_of
from pipelines.validate.results import Report, TableResult, show

#: Raw-file patterns that feed each processed table, for quarantined rows (which name a file,
#: not a table). The roadmap tables have none: a bad roadmap file stops ingest instead.
_FILE_TABLE = (
    (lambda p: "observations" in p.parts[:-1] or "extracts" in p.parts[:-1], "observations"),
    (lambda p: p.name.startswith("milestones"), "milestone_events"),
    (lambda p: p.name.startswith("sources"), "sources"),
)

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #d0d0d0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;
font-size:.88em;word-break:break-all}.pass{color:#1a6e2e}.fail{color:#b00020;font-weight:600}
.warn{color:#8a5a00;font-weight:600}.muted{color:#666}nav{display:flex;flex-wrap:wrap;gap:.2rem 1rem}
@media (max-width:40rem){table{display:block;overflow-x:auto}}
"""

_BASE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<nav><a href="index.html">All tables</a>{% for t in tables %}<a href="{{ t }}.html">{{ t }}</a>{% endfor %}</nav>
<main>
{% block body %}{% endblock %}
</main>
<footer><p class="muted">Data checksum <span class="mono">{{ checksum or "unknown" }}</span>.
Checked by <code>python -m pipelines validate</code> with the suites in <code>expectations/</code>.</p></footer>
</body>
</html>
"""

_INDEX = """{% extends "base" %}{% block body %}
<h1>Data quality</h1>
<p>{% if report.success %}<span class="pass">No error.</span>{% else %}<span class="fail">{{ report.errors }}
error rule{{ "s" if report.errors != 1 }} failed.</span>{% endif %}
{{ report.warnings }} warning rule{{ "s" if report.warnings != 1 }} failed.
{{ quarantined_total }} row{{ "s" if quarantined_total != 1 }} set aside by ingest (quarantine).</p>
<table tabindex="0">
<thead><tr><th>Table</th><th>Rows</th><th>Rules</th><th>Errors</th><th>Warnings</th><th>Quarantined rows</th></tr></thead>
<tbody>{% for t in report.tables.values() %}
<tr><td><a href="{{ t.table }}.html">{{ t.table }}</a></td><td class="num">{{ t.rows }}</td>
<td class="num">{{ t.rules|length }}</td>
<td class="num{{ ' fail' if t.count('error') }}">{{ t.count("error") }}</td>
<td class="num{{ ' warn' if t.count('warning') }}">{{ t.count("warning") }}</td>
<td class="num">{{ quarantine[t.table]|length }}</td></tr>{% endfor %}
</tbody></table>
{% if other %}<h2>Quarantined rows of other files</h2>{{ quarantine_table(other) }}{% endif %}
{% endblock %}
"""

_TABLE = """{% extends "base" %}{% block body %}
<h1>Data quality: {{ t.table }}</h1>
<p>{{ t.rows }} row{{ "s" if t.rows != 1 }} checked against {{ t.rules|length }} rules:
{% if t.count("error") %}<span class="fail">{{ t.count("error") }} error rule{{ "s" if t.count("error") != 1 }} failed</span>{% else %}<span class="pass">no error</span>{% endif %},
{{ t.count("warning") }} warning rule{{ "s" if t.count("warning") != 1 }} failed;
{{ quarantined|length }} row{{ "s" if quarantined|length != 1 }} of its files quarantined by ingest.</p>

{% if t.failed %}<h2>Failing rows</h2>{% for r in t.failed %}
<h3 id="rule-{{ loop.index }}"><span class="{{ 'fail' if r.severity == 'error' else 'warn' }}">{{ r.severity|upper }}</span>
<code>{{ r.rule }}</code>: {{ r.description }}</h3>
{% if r.errors %}<p>The rule could not be checked: {{ r.errors|join("; ") }}</p>
{% elif r.failures %}<table tabindex="0">
<thead><tr><th>File</th><th>Line</th><th>Column</th><th>Value</th><th>Detail</th><th>Row</th></tr></thead>
<tbody>{% for f in r.failures %}
<tr><td class="mono">{{ f.file or f.where() }}</td><td class="num">{{ f.line if f.line is not none else "" }}</td>
<td><code>{{ f.column }}</code></td><td class="mono">{{ show(f.value) }}</td><td>{{ f.detail or "" }}</td>
<td>{% for k, v in f.context.items() if v is not none and k != f.column %}<span class="muted">{{ k }}:</span> {{ v }}{{ "" if loop.last else "; " }}{% endfor %}</td></tr>{% endfor %}
</tbody></table>
{% if r.unexpected_count > r.failures|length %}<p class="muted">Showing {{ r.failures|length }} of {{ r.unexpected_count }} rows.</p>{% endif %}
{% else %}<p class="mono">{{ r.observed_text }}</p>{% endif %}
{% endfor %}{% endif %}

<h2>Quarantined rows</h2>
{% if quarantined %}<p>Rows of the files feeding {{ t.table }} that ingest set aside, with the reason: they are not in the processed table, nor checked above.</p>
{{ quarantine_table(quarantined) }}{% else %}<p>None.</p>{% endif %}

<h2>All rules</h2>
<table tabindex="0">
<thead><tr><th>Result</th><th>Severity</th><th>Rule</th><th>What it checks</th><th>Failing rows</th></tr></thead>
<tbody>{% for r in t.rules %}
<tr><td>{% if r.success %}<span class="pass">pass</span>{% elif r.errors %}<span class="fail">not checked</span>{% elif r.severity == "error" %}<span class="fail">fail</span>{% else %}<span class="warn">fail</span>{% endif %}</td>
<td>{{ r.severity }}</td><td><code>{{ r.rule }}</code></td><td>{{ r.description }}</td>
<td class="num">{{ r.unexpected_count if not r.success else "" }}</td></tr>{% endfor %}
</tbody></table>
{% endblock %}
"""

_QUARANTINE = """<table tabindex="0">
<thead><tr><th>File</th><th>Line</th><th>Column</th><th>Value</th><th>Rule</th><th>Reason</th></tr></thead>
<tbody>{% for q in rows %}
<tr><td class="mono">{{ q.file }}</td><td class="num">{{ q.line if q.line is not none else "" }}</td>
<td><code>{{ q.column or "" }}</code></td><td class="mono">{{ q.value if q.value is not none else "" }}</td>
<td><code>{{ q.rule }}</code></td><td>{{ q.reason }}</td></tr>{% endfor %}
</tbody></table>"""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"base": _BASE, "index": _INDEX, "table": _TABLE, "quarantine": _QUARANTINE}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals["show"] = show

    def quarantine_table(rows: list[dict[str, Any]]) -> Any:
        return Markup(env.get_template("quarantine").render(rows=rows))

    env.globals["quarantine_table"] = quarantine_table
    return env


def table_of_file(file: str, files_by_table: Mapping[str, set[str]]) -> str | None:
    """The processed table a raw file feeds: by the rows it produced, else by its path."""
    for table, files in files_by_table.items():
        if file in files:
            return table
    workbook, sheet = sheet_of(file)
    if sheet is not None:  # a spreadsheet's sheet is named after its table
        return sheet.strip().casefold() if sheet.strip().casefold() in files_by_table else None
    path = PurePosixPath(workbook.replace("\\", "/"))
    for matches, table in _FILE_TABLE:
        if matches(path):
            return table
    return None


def split_quarantine(quarantine: pl.DataFrame | None, tables: Iterable[str],
                     files_by_table: Mapping[str, set[str]]) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Quarantined rows by table, and those whose file feeds no known table."""
    by_table: dict[str, list[dict[str, Any]]] = {t: [] for t in tables}
    other: list[dict[str, Any]] = []
    if quarantine is None or quarantine.height == 0:
        return by_table, other
    ordered = quarantine.sort(["file", "line", "column", "rule"], nulls_last=True)
    for row in ordered.iter_rows(named=True):
        table = table_of_file(row.get("file") or "", files_by_table)
        (by_table[table] if table in by_table else other).append(row)
    return by_table, other


def render_pages(report: Report, quarantine: pl.DataFrame | None,
                 files_by_table: Mapping[str, set[str]]) -> dict[str, str]:
    """File name -> HTML text for the index and one page per table."""
    env = _environment()
    names = list(report.tables)
    by_table, other = split_quarantine(quarantine, names, files_by_table)
    # our own stylesheet, trusted: escaping it would break its quoted font names (unstyled pages)
    common = {"css": Markup(_CSS), "tables": names, "checksum": report.data_checksum}
    pages = {"index.html": env.get_template("index").render(
        title="Data quality", report=report, quarantine=by_table, other=other,
        quarantined_total=sum(len(v) for v in by_table.values()) + len(other), **common)}
    for name, table in report.tables.items():
        pages[f"{name}.html"] = _table_page(env, table, by_table[name], common)
    return pages


def _table_page(env: jinja2.Environment, table: TableResult, quarantined: list[dict[str, Any]],
                common: Mapping[str, Any]) -> str:
    return env.get_template("table").render(
        title=f"Data quality: {table.table}", t=table, quarantined=quarantined, **common)
