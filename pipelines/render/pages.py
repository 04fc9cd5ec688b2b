"""The pages of the site, filled from the Jinja2 templates of ``templates/`` (autoescaped).

A report's page (its notebook's fragments, or, for a report that failed, what broke), a
roadmap's index in one language, and the home page listing every roadmap, with the words around
them in each language (`ui`). Apart from the build (`pipelines.render.site`), which
decides what is rendered and where it is published, because these functions only turn values
into HTML: the same values give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipelines.core.paper import PAGE_RULE
from pipelines.render.drawing import VEGA_LOADER, Charts, vega_runtime
from pipelines.render.notebook import first_heading, notebook_parts
from pipelines.run import checks, sidecars

#: A page's size budget: `render` warns about a page above it (charts weigh most, see
#: `pipelines.render.drawing`).
MAX_BYTES = 1_500_000
#: Folder of ``reports/`` holding the CSV downloads (links from reports are ``../data/…``).
DOWNLOADS = "data"
TEMPLATES = Path(__file__).parent / "templates"


def ui(lang: str) -> dict[str, str]:
    """The words of a page around its notebook's content, in ``lang`` (the templates' ``ui``),
    from the message catalogues (`pipelines.core.i18n`)."""
    from pipelines.core import i18n

    return {
        "home": i18n.t("page.home", lang),
        "index": i18n.t("page.index", lang),
        "all_reports": i18n.t("page.all_reports", lang),
        "glossary": i18n.t("page.glossary", lang),
        "report": i18n.t("page.report", lang),
        "run": i18n.t("page.run", lang),
        "assessment": i18n.t("page.assessment", lang),
        "review": i18n.t("page.review", lang),
        "confidence": i18n.t("page.confidence", lang),
        "score": i18n.t("page.score", lang),
        "as_of": i18n.t("page.as_of", lang),
        "latest": i18n.t("page.latest", lang),
        "build_date": i18n.t("page.build_date", lang),
        "data": i18n.t("page.data", lang),
        "source_nb": i18n.t("page.source_nb", lang),
        "quality": i18n.t("page.quality", lang),
        "ok": i18n.t("page.ok", lang),
        "failed": i18n.t("page.failed", lang),
        "colon": i18n.t("page.colon", lang),
        "language": i18n.t("page.language", lang),
        "failed_title": i18n.t("page.failed_title", lang),
        "downloads": i18n.t("page.downloads", lang),
        "csv_observations": i18n.t("page.csv_observations", lang),
        "csv_milestone_events": i18n.t("page.csv_milestone_events", lang),
        "csv_sources": i18n.t("page.csv_sources", lang),
        "csv_indicators": i18n.t("page.csv_indicators", lang),
    }


@dataclass
class Page:
    """One rendered report, as the index and the manifest see it."""

    key: str
    lang: str
    report_id: str
    kind: str
    title: str
    roadmap: str
    status: str
    path_shown: str
    size: int = 0
    sha256: str = ""
    error: str = ""
    sidecar: dict[str, Any] | None = None
    entry: dict[str, Any] = field(default_factory=dict)
    kept: bool = False  # True when the page was left as the last render wrote it


@lru_cache(maxsize=1)
def _env() -> Any:
    """The templates' environment, made once a process: autoescaped, and strict (a value a
    template names but is not given is an error, never an empty string on a page)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["page_rule"] = PAGE_RULE
    return env


def render_notebook(
    nb: Any,
    context: Mapping[str, Any],
    *,
    charts: str = "svg",
    title: str | None = None,
    fallback: str = "report",
    notebook_dir: Path | None = None,
    chart_cache: Path | None = None,
) -> tuple[str, str]:
    """The page of one executed notebook and its title (`title`, else the first <h1> of the
    page, else `fallback`); its charts' SVGs kept in `chart_cache` (see `drawing.Charts`)."""
    from markupsafe import Markup

    chart_set = Charts(charts, chart_cache)
    parts, styles = lift_styles(notebook_parts(nb, chart_set, notebook_dir, lang=str(context.get("lang", ""))))
    parts = [Markup(p) for p in parts]
    found = title or first_heading(parts) or fallback
    runtime = Markup(vega_runtime()) if chart_set.mode == "vega" and chart_set.count else ""
    html = (
        _env()
        .get_template("report.html.j2")
        .render(
            **context,
            title=found,
            parts=parts,
            failed="",
            runtime=runtime,
            loader=Markup(VEGA_LOADER),
            styles=[Markup(style) for style in styles],
        )
    )
    return html, found


_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.S | re.I)


def lift_styles(parts: Sequence[str]) -> tuple[list[str], list[str]]:
    """The parts without the ``<style>`` elements a notebook's outputs carry (for JupyterLab,
    where each output stands alone), and those styles once each, in order, for the page's
    head: HTML allows ``<style>`` in the head only. A style inside an inline SVG stays there."""
    styles: list[str] = []
    kept: list[str] = []
    for part in parts:

        def lift(match: re.Match[str], part: str = part) -> str:
            before = part[: match.start()]
            if before.count("<svg") != before.count("</svg>"):
                return match.group(0)
            if match.group(0) not in styles:
                styles.append(match.group(0))
            return ""

        kept.append(_STYLE.sub(lift, part))
    return kept, styles


def report_context(
    entry: Mapping[str, Any], present: set[str], checksum: str, *, downloads: bool = False
) -> dict[str, Any]:
    """What a report's page shows around its notebook (`render_notebook`, `render_failed`): the
    words of its language, a link to the same report in each other language (else to that
    language's index), its dates, the data checksum it rests on and the links to its CSVs."""
    lang, report_id, roadmap = str(entry["lang"]), str(entry["report_id"]), str(entry["roadmap"])
    others = [
        _language_link(x, f"{report_id}.html" if f"{roadmap}/{x}/{report_id}" in present else "index.html")
        for x in checks.LANGS
        if x != lang
    ]
    params = entry.get("parameters", {})
    glossary = f"{roadmap}/{lang}/glossary" in present and report_id != "glossary"
    return {
        "lang": lang,
        "ui": ui(lang),
        "others": others,
        "glossary": glossary,
        "as_of": params.get("as_of", ""),
        "build_date": params.get("build_date", ""),
        "data_checksum": checksum,
        "notebook": entry.get("notebook", ""),
        "downloads": _download_links(entry, lang) if downloads else [],
    }


def _download_links(entry: Mapping[str, Any], lang: str, roadmap: str = "") -> list[dict[str, str]]:
    """Links from a report (or a roadmap's index) to the CSVs of its data: a benchmark's own
    rows, else its roadmap's tables."""
    from pipelines.render import export

    roadmap = str(entry.get("roadmap") or roadmap)
    bench = entry.get("parameters", {}).get("benchmark") if entry.get("kind") == "benchmark" else None
    suffix = f"-{bench}" if isinstance(bench, str) and re.fullmatch(r"[A-Za-z0-9_-]+", bench) else ""
    if not re.fullmatch(r"[a-z0-9-]+", roadmap):
        return []
    return [
        {
            "href": f"../../{DOWNLOADS}/{roadmap}/{name}{suffix}.csv",
            "label": ui(lang)[f"csv_{name}"],
            "xlsx": f"../../{DOWNLOADS}/{roadmap}/{name}{suffix}.xlsx",
        }
        for name in export.EXPORTED
    ]


def render_failed(context: Mapping[str, Any], title: str, error: str) -> str:
    """A page in place of a report that failed: says so, and what broke, never stale content."""
    return (
        _env()
        .get_template("report.html.j2")
        .render(**context, title=title, parts=[], failed=error, runtime="", loader="")
    )


def _language_link(lang: str, page: str) -> dict[str, str]:
    """A link to ``page`` in ``lang``'s folder, named in that language (``English``, ``Français``)."""
    return {"href": f"../{lang}/{page}", "lang": lang, "label": ui(lang)["language"]}


def render_index(
    lang: str,
    pages: Sequence[Page],
    others: Sequence[str],
    *,
    quality: bool,
    data_checksum: str,
    downloads: bool = False,
    roadmap: Mapping[str, Any] | None = None,
) -> str:
    """``reports/<roadmap>/<lang>/index.html``: each report of the roadmap, its run status and
    its assessment."""
    from pipelines.core import i18n

    words = ui(lang)
    rows = []
    for page in pages:
        side = page.sidecar or {}
        status = side.get("status")
        assessment = i18n.t(f"status.{status}", lang) if status in sidecars.SIDECAR_STATUSES else (status or "")
        score = side.get("score")
        rows.append(
            {
                "title": page.title,
                "href": f"{page.report_id}.html",
                "status": page.status,
                "status_label": words["ok"] if page.status == "ok" else words["failed"],
                "error": page.error if page.status != "ok" else "",
                "assessment": assessment if page.status == "ok" else "",
                "score": i18n.describe_score(
                    float(score),
                    side.get("score_basis"),
                    (side.get("milestones") or {}).get("points"),
                    (side.get("milestones") or {}).get("max_points"),
                    lang,
                )
                if isinstance(score, (int, float)) and page.status == "ok"
                else "",
                "as_of": page.entry.get("parameters", {}).get("as_of") or words["latest"],
                "review": _review_cell(side.get("review"), lang) if page.status == "ok" else "",
                "confidence": i18n.t(f"trust.grade.{(side.get('confidence') or {}).get('grade')}", lang)
                if page.status == "ok" and (side.get("confidence") or {}).get("grade")
                else "",
            }
        )
    build_dates = sorted({str(p.entry.get("parameters", {}).get("build_date", "")) for p in pages} - {""})
    rid = str((roadmap or {}).get("roadmap_id") or (pages[0].roadmap if pages else ""))
    title = (
        i18n.t("roadmap_index", lang, acronym=roadmap["acronym"], symbol=roadmap["symbol"])
        if roadmap
        else words["index"]
    )
    return (
        _env()
        .get_template("index.html.j2")
        .render(
            lang=lang,
            ui=words,
            title=title,
            rows=rows,
            quality="../../quality/index.html" if quality else "",
            others=[_language_link(x, "index.html") for x in others],
            home="../../index.html",
            build_date=", ".join(build_dates),
            data_checksum=data_checksum,
            downloads=_download_links({}, lang, rid) if downloads else [],
        )
    )


def _review_cell(review: Mapping[str, Any] | None, lang: str) -> str:
    """The index's mark of a reviewed status: "reviewed: <status>", or "to be reviewed again"."""
    from pipelines.core import i18n

    if not review:
        return ""
    if review.get("state") == "stale" or not review.get("status"):
        return i18n.t("review.mark_stale", lang)
    label = i18n.t(f"status.{review['status']}", lang)
    return f"{i18n.t('review.mark', lang)}{' :' if lang == 'fr' else ':'} {label}"


def render_home(rendered: Sequence[tuple[str, str]], titles: Mapping[str, Mapping[str, Any]]) -> str:
    """``reports/index.html``: every roadmap, each in the languages it was rendered in."""
    from pipelines.core import i18n

    langs = [x for x in checks.LANGS if any(lang == x for _, lang in rendered)] or ["fr"]
    roadmaps = []
    for rid in sorted({r for r, _ in rendered}):
        row = titles.get(rid) or {"acronym": rid, "symbol": rid, "title_fr": "", "title_en": ""}
        roadmaps.append(
            {
                "id": rid,
                "names": [
                    {
                        "lang": x,
                        "href": f"{rid}/{x}/index.html",
                        "label": i18n.t("roadmap_name", x, acronym=row["acronym"], symbol=row["symbol"]),
                        "title": row.get(f"title_{x}") or "",
                        "language": ui(x)["language"],
                    }
                    for x in checks.LANGS
                    if (rid, x) in rendered
                ],
            }
        )
    return (
        _env()
        .get_template("home.html.j2")
        .render(lang=langs[0], title=" / ".join(i18n.t("roadmaps_home", x) for x in langs), roadmaps=roadmaps)
    )
