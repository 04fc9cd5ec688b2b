"""The data-quality pages: ``reports/quality/<table tabindex="0">.html`` and an index linking them.

Our own rendering, not GX Data Docs: Data Docs pull CSS and scripts from CDNs, and these pages
are read offline from a mail attachment or a shared drive. So each page is one file with its
CSS inline, no script and no external request. Everything that comes from the data (titles,
notes, values, file names) goes through Jinja2's autoescaping; nothing from the data becomes a
link (a source url of ``javascript:…`` stays text). No date or time is printed, so a rerun on the
same data gives the same bytes.

Every page keeps the page budget (`PAGE_BUDGET`): a file of a million junk rows sets a million
rows aside, and listing them all made an 843 MB page no browser opens. A page shows at most
`ROWS_PER_RULE` quarantined rows per rule (fewer if the page would still be over budget), says
how many it leaves out by rule, and links the full list, ``quarantine.csv``
(`QUARANTINE_CSV`, written beside the pages); a long cell is cut (`CELL_CHARS`). Rows are
counted and picked by polars, never turned into Python objects all at once, so memory stays
that of the quarantine table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import jinja2
import polars as pl
from markupsafe import Markup, escape

from pipelines.core.errors import sheet_of
from pipelines.core.paper import PAGE_RULE
from pipelines.validate.results import Report, TableResult, show

#: Raw-file patterns that feed each processed table, for quarantined rows (which name a file,
#: not a table). The roadmap tables have none: a bad roadmap file stops ingest instead.
_FILE_TABLE = (
    (lambda p: "observations" in p.parts[:-1] or "extracts" in p.parts[:-1], "observations"),
    (lambda p: p.name.startswith("milestones"), "milestone_events"),
    (lambda p: p.name.startswith("sources"), "sources"),
)

#: The most a quality page may weigh, in bytes of HTML.
PAGE_BUDGET = 1_500_000
#: The most quarantined rows of one rule a page lists (fewer when the page would pass the budget).
ROWS_PER_RULE = 100
#: The most characters of one cell a page shows (a value of a junk file may be a megabyte).
CELL_CHARS = 300
#: Every quarantined row, as a spreadsheet-safe CSV beside the pages (linked from them).
QUARANTINE_CSV = "quarantine.csv"


@dataclass
class Held:
    """The quarantined rows of one table's files (or of files feeding no table), as a page
    shows them: how many, the first rows of each rule, and how many of each rule are left out."""

    total: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def omitted(self) -> int:
        return sum(self.left_out.values())


#: The pages' style. On paper (`PAGE_RULE`, the reports' A4), no word, number or name of a rule,
#: a column or a file is cut across two lines (a name breaks only after ``_`` or ``:``, `breakable`;
#: a path after ``/``): only a value or a checksum (``.cut``: data, which may be a junk string of
#: 300 characters without a space) breaks where it must.
_CSS = (
    """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1b1b1b;line-height:1.45;overflow-wrap:break-word}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #d0d0d0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;
font-size:.88em}.cut{overflow-wrap:anywhere}.pass{color:#1a6e2e}.fail{color:#b00020;font-weight:600}
.warn{color:#8a5a00;font-weight:600}.muted{color:#666}nav{display:flex;flex-wrap:wrap;gap:.2rem 1rem}
@media (max-width:40rem){table{display:block;overflow-x:auto}}
"""
    + PAGE_RULE
    + """
@media print{nav{display:none}body{max-width:none;margin:0;padding:0;font-size:10.5pt}table{font-size:8.5pt}
td,th{overflow-wrap:normal}tr{break-inside:avoid}h1,h2,h3{break-after:avoid}}
"""
)

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
<footer><p class="muted">Data checksum <span class="mono cut">{{ checksum or "unknown" }}</span>.
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
{% if quarantined_total %}<p>Every quarantined row: <a href="quarantine.csv">quarantine.csv</a>.</p>{% endif %}
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
<code>{{ r.rule|breakable }}</code>: {{ r.description|breakable }}</h3>
{% if r.errors %}<p>The rule could not be checked: {{ r.errors|join("; ") }}</p>
{% elif r.failures %}<table tabindex="0">
<thead><tr><th>File</th><th>Line</th><th>Column</th><th>Value</th><th>Detail</th><th>Row</th></tr></thead>
<tbody>{% for f in r.failures %}
<tr><td class="mono">{{ f.file or f.where() }}</td><td class="num">{{ f.line if f.line is not none else "" }}</td>
<td><code>{{ f.column|clip|breakable }}</code></td><td class="mono cut">{{ show(f.value)|clip }}</td><td>{{ (f.detail or "")|clip }}</td>
<td>{% for k, v in f.context.items() if v is not none and k != f.column %}<span class="muted">{{ k }}:</span> {{ v|string|clip }}{{ "" if loop.last else "; " }}{% endfor %}</td></tr>{% endfor %}
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
<td>{{ r.severity }}</td><td><code>{{ r.rule|breakable }}</code></td><td>{{ r.description|breakable }}</td>
<td class="num">{{ r.unexpected_count if not r.success else "" }}</td></tr>{% endfor %}
</tbody></table>
{% endblock %}
"""

_QUARANTINE = """<table tabindex="0">
<thead><tr><th>File</th><th>Line</th><th>Column</th><th>Value</th><th>Rule</th><th>Reason</th></tr></thead>
<tbody>{% for q in held.rows %}
<tr><td class="mono">{{ q.file|clip }}</td><td class="num">{{ q.line if q.line is not none else "" }}</td>
<td><code>{{ (q.column or "")|clip|breakable }}</code></td><td class="mono cut">{{ (q.value if q.value is not none else "")|clip }}</td>
<td><code>{{ q.rule|clip|breakable }}</code></td><td>{{ (q.reason or "")|clip }}</td></tr>{% endfor %}
</tbody></table>
{% if held.omitted %}<p class="omitted">Showing {{ held.rows|length }} of {{ held.total }} rows: and {{ held.omitted }} more,
{% for rule, n in held.left_out.items() %}{{ n }} by <code>{{ rule|clip|breakable }}</code>{{ "" if loop.last else ", " }}{% endfor %}.
Every row is in <a href="quarantine.csv">quarantine.csv</a>.</p>{% endif %}"""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"base": _BASE, "index": _INDEX, "table": _TABLE, "quarantine": _QUARANTINE}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals["show"] = show
    env.filters["clip"] = clip
    env.filters["breakable"] = breakable

    def quarantine_table(held: Held) -> Any:
        return Markup(env.get_template("quarantine").render(held=held))

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


def clip(text: Any) -> str:
    """A cell as a page shows it: at most `CELL_CHARS` characters, the cut marked."""
    text = "" if text is None else str(text)
    return text if len(text) <= CELL_CHARS else f"{text[:CELL_CHARS]}… ({len(text)} characters)"


def breakable(text: Any) -> Markup:
    """A rule's, column's or indicator's name that may break after each ``_`` and ``:``
    (``bounds:<wbr>revenue_<wbr>transferred_<wbr>…``), so that two such names in a row fit an A4
    page without a word cut anywhere else (`_CSS`)."""
    return Markup(re.sub(r"([_:])(?=\S)", r"\1<wbr>", str(escape(text))))


def split_quarantine(
    quarantine: pl.DataFrame | None,
    tables: Iterable[str],
    files_by_table: Mapping[str, set[str]],
    per_rule: int = ROWS_PER_RULE,
) -> tuple[dict[str, Held], Held]:
    """Quarantined rows by table, and those whose file feeds no known table: per rule at most
    `per_rule` rows (the first by file and line), the others counted."""
    names = list(tables)
    by_table = {t: Held() for t in names}
    other = Held()
    if quarantine is None or quarantine.height == 0:
        return by_table, other
    files = quarantine["file"].cast(pl.String).fill_null("")
    mapping = {f: table_of_file(f, files_by_table) for f in files.unique().to_list()}
    owner = files.replace_strict(mapping, default=None, return_dtype=pl.String)
    owner = pl.select(pl.when(owner.is_in(names)).then(owner).otherwise(None)).to_series()
    framed = quarantine.with_columns(owner.alias("_table"), pl.col("rule").cast(pl.String).fill_null(""))
    order = ["file", "line", "column", "rule"]
    for table, part in framed.group_by("_table"):
        held = by_table[table[0]] if table[0] is not None else other
        counts = dict(part.group_by("rule").len().sort("rule").iter_rows())
        shown = (
            part.sort(order, nulls_last=True)
            .group_by("rule", maintain_order=True)
            .head(per_rule)
            .sort(order, nulls_last=True)
            .drop("_table")
        )
        kept = dict(shown.group_by("rule").len().iter_rows())
        held.total = part.height
        held.rows = shown.select(quarantine.columns).to_dicts()
        held.left_out = {rule: n - kept.get(rule, 0) for rule, n in counts.items() if n > kept.get(rule, 0)}
    return by_table, other


def render_pages(
    report: Report, quarantine: pl.DataFrame | None, files_by_table: Mapping[str, set[str]]
) -> dict[str, str]:
    """File name -> HTML text for the index and one page per table, each within `PAGE_BUDGET`:
    a page over it is drawn again with fewer quarantined rows per rule, down to none (the
    counts, the rules and the link to the full list stay)."""
    env = _environment()
    names = list(report.tables)
    # our own stylesheet, trusted: escaping it would break its quoted font names (unstyled pages)
    common = {"css": Markup(_CSS), "tables": names, "checksum": report.data_checksum}
    pages: dict[str, str] = {}
    for per_rule in (ROWS_PER_RULE, 50, 20, 10, 5, 1, 0):
        by_table, other = split_quarantine(quarantine, names, files_by_table, per_rule)
        if "index.html" not in pages:
            html = env.get_template("index").render(
                title="Data quality",
                report=report,
                quarantine=by_table,
                other=other,
                quarantined_total=sum(h.total for h in by_table.values()) + other.total,
                **common,
            )
            if len(html.encode("utf-8")) <= PAGE_BUDGET or per_rule == 0:
                pages["index.html"] = html
        for name, table in report.tables.items():
            if f"{name}.html" not in pages:
                html = _table_page(env, table, by_table[name], common)
                if len(html.encode("utf-8")) <= PAGE_BUDGET or per_rule == 0:
                    pages[f"{name}.html"] = html
        if len(pages) == len(names) + 1:
            break
    return {"index.html": pages["index.html"], **{f"{name}.html": pages[f"{name}.html"] for name in names}}


def quarantine_csv(quarantine: pl.DataFrame) -> Iterator[bytes]:
    """Every quarantined row (`QUARANTINE_CSV`), in file and line order, spreadsheet-safe and
    written in pieces (`csvsafe.csv_chunks`)."""
    from pipelines.core.csvsafe import csv_chunks

    return csv_chunks(quarantine.sort(["file", "line", "column", "rule"], nulls_last=True))


def _table_page(env: jinja2.Environment, table: TableResult, quarantined: Held, common: Mapping[str, Any]) -> str:
    return env.get_template("table").render(
        title=f"Data quality: {table.table}", t=table, quarantined=quarantined, **common
    )
