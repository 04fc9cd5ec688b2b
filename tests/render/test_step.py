"""The renderer: one self-contained page per report, code hidden, nothing loaded from a
network (no script src, no stylesheet link, no remote image, only plain links), the Vega
runtime at most once, javascript: links neutralised, under 1.5 MB, and byte-identical when
rendered twice. Also the index, the failure page and the manifest."""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import subprocess
import sys
from html import escape
from pathlib import Path
from typing import Any

import altair as alt
import pytest

from pipelines.present import charts, renderer
from pipelines.render import drawing
from pipelines.render import site as render
from pipelines.render.drawing import Charts, RenderError, vega_runtime
from pipelines.render.notebook import altair_html_spec, markdown, output_html
from pipelines.render.pages import MAX_BYTES
from pipelines.render.sanitise import sanitise
from tests.present.test_charts import OBSERVATIONS, SOURCES, WOMEN
from tests.support import DATA_CHECKSUM, FixtureBuild, render_argv

# Addresses inside the Vega runtime: XML namespace names, the Vega schema id, an issue cited in a
# message and the editor that only the (disabled) action menu opens. Never fetched: the browser
# test blocks and records every request.
RUNTIME_STRINGS = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/xmlns/",
    "https://vega.github.io/schema/vega/v6.json",
    "https://vega.github.io/editor/",
    "https://github.com/vega/vega-lite/issues/2415",
}
RUNTIME_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def _pages(reports: Path) -> list[Path]:
    return sorted(reports.rglob("*.html"))


def _without_runtime(html: str) -> tuple[str, list[str]]:
    """The page without its inline scripts (runtime and loader), and those scripts."""
    scripts = RUNTIME_SCRIPT.findall(html)
    return RUNTIME_SCRIPT.sub("<script></script>", html), scripts


def assert_no_network_reference(html: str) -> None:
    """No element may load anything: every http(s) address sits in an <a href>, and the Vega
    runtime only holds XML namespace names."""
    page, scripts = _without_runtime(html)
    assert not re.search(r"<script[^>]*\ssrc\s*=", html, re.I)
    assert not re.search(r"<(link|iframe|object|embed|base|meta\s+http-equiv)\b", page, re.I)
    assert not re.search(r"@import|url\s*\(\s*['\"]?\s*(https?:)?//", page, re.I)
    assert not re.search(r"\s(src|srcset|poster|action)\s*=\s*[\"']?\s*(https?:)?//", page, re.I)
    for match in re.finditer(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}", page):
        before = page[max(0, match.start() - 300) : match.start()]
        assert re.search(r"<a\s[^<>]*href=\"$", before), f"address outside a link: {page[match.start() :][:80]}"
    for script in scripts:
        assert set(re.findall(r"https?://[^\s\"'`)]+", script)) <= RUNTIME_STRINGS
    for hint in ("require.js", "requirejs", "mathjax", "cdn.jsdelivr", "unpkg.com", "jupyter-widgets"):
        assert hint not in html.lower()


def assert_no_javascript_link(html: str) -> None:
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*(java|vb)script:""", html, re.I)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, re.I), "an event handler survived"


@pytest.mark.parametrize("mode", ["svg", "vega"])
def test_reports_are_self_contained_and_load_nothing(fixture_build: FixtureBuild, mode: str) -> None:
    reports = fixture_build.reports if mode == "svg" else fixture_build.reports_vega
    pages = _pages(reports)
    assert [p.relative_to(reports).as_posix() for p in pages] == [
        "index.html",
        "test/en/benchmark-A.html",
        "test/en/ddr.html",
        "test/en/index.html",
        "test/en/overview.html",
        "test/fr/benchmark-A.html",
        "test/fr/ddr.html",
        "test/fr/index.html",
        "test/fr/overview.html",
    ]
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert path.stat().st_size < MAX_BYTES
        assert html.startswith("<!DOCTYPE html>")
        assert_no_network_reference(html)
        assert_no_javascript_link(html)


def test_svg_reports_have_no_script_and_vega_reports_one_runtime(fixture_build: FixtureBuild) -> None:
    marker = vega_runtime()[:400]
    for lang in ("fr", "en"):
        static = (fixture_build.reports / "test" / lang / "benchmark-A.html").read_text(encoding="utf-8")
        assert "<script" not in static
        assert static.count("<svg") == 1 and static.count('<figure class="chart"') == 1
        live = (fixture_build.reports_vega / "test" / lang / "benchmark-A.html").read_text(encoding="utf-8")
        assert live.count(marker) == 1
        assert len(RUNTIME_SCRIPT.findall(live)) == 2  # the runtime and the loader
        assert live.count('<script type="application/json"') == 1
        embedded = re.search(r'<script type="application/json" id="chart-1-spec">(.*?)</script>', live)
        assert embedded is not None
        spec = json.loads(embedded.group(1))
        assert "$schema" not in spec and spec["mark"] == {"type": "line", "point": True}
        assert 'data-vega-mode="vega-lite"' in live
        # A page without a chart carries no runtime.
        assert "<script" not in (fixture_build.reports_vega / "test" / lang / "overview.html").read_text(
            encoding="utf-8"
        )


def test_code_is_hidden_outputs_are_kept(fixture_build: FixtureBuild) -> None:
    html = (fixture_build.reports / "test" / "fr" / "benchmark-A.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and "<title>Critère A</title>" in html
    for code in ("write_sidecar(", "use_report_renderer", "import altair", "pl.DataFrame", "In ["):
        assert code not in html
    assert "<h2>Critère A</h2>" in html  # a Markdown output
    assert '<table border="1" class="dataframe">' in html and "27.89" in html  # a polars table
    assert "stdout is kept" in html and "stderr is left out" not in html
    assert '<a href="https://data.worldbank.org/indicator/SG.GEN.PARL.ZS">World Bank</a>' in html
    assert "<a>bad link</a>" in html and "alert(4)" not in html and "pixel.png" not in html
    assert "<title>year: 2020; %: 27,9; value: 27,9</title>" in html  # tooltips as SVG titles, French numbers
    english = (fixture_build.reports / "test" / "en" / "benchmark-A.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "<title>Benchmark A</title>" in english
    assert '<a href="../fr/benchmark-A.html" hreflang="fr" lang="fr">Français</a>' in english


def test_rendering_twice_gives_the_same_bytes(fixture_build: FixtureBuild, tmp_path: Path) -> None:
    for mode in ("svg", "vega"):
        outputs = []
        for attempt in ("one", "two"):
            render.render_build(fixture_build.build, tmp_path / mode / attempt, fixture_build.processed, charts=mode)
            held = fixture_build.build / render.UNPUBLISHED  # ddr fails: the site is held back, whole
            outputs.append(
                {p.relative_to(held).as_posix(): p.read_bytes() for p in sorted(held.rglob("*")) if p.is_file()}
            )
        assert outputs[0] == outputs[1]
        assert "manifest.json" in outputs[0]


def _linked(row: str) -> str:
    """The text of a row's link."""
    found = re.search(r">([^<]+)</", row)
    assert found is not None, row
    return found.group(1)


def test_index_lists_every_report_with_its_status_and_links_the_other_language(fixture_build: FixtureBuild) -> None:
    index = (fixture_build.reports / "test" / "fr" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>(.*?)</tr>", index, re.S)
    assert [_linked(r) if "<a" in r else r for r in rows][:2] == [
        "Fixture overview",
        "Critère A",
    ]
    # status, then its review and confidence cells, then a score that says what it counts
    assert re.search(
        '<a href="benchmark-A.html">Critère A</a></td><td class="ok">réussie</td><td>en bonne voie</td>'
        "<td>[^<]*</td><td>[^<]*</td><td>50\u00a0% du chemin vers la cible</td>",
        index,
    )
    assert 'class="failed">échec' in index and "deliberate failure" in index
    assert '<a href="../en/index.html" hreflang="en" lang="en">English</a>' in index
    home = (fixture_build.reports / "index.html").read_text(encoding="utf-8")
    assert 'href="test/fr/index.html"' in home and 'href="test/en/index.html"' in home
    failed = (fixture_build.reports / "test" / "en" / "ddr.html").read_text(encoding="utf-8")
    assert "could not be produced" in failed and "ValueError" in failed and "<figure" not in failed
    assert "<title>Fixture thematic report that fails</title>" in failed


def test_manifest_records_parameters_inputs_versions_and_status_but_no_timing(fixture_build: FixtureBuild) -> None:
    manifest = json.loads((fixture_build.reports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data"]["data_checksum"] == DATA_CHECKSUM
    assert set(manifest["versions"]) >= {
        "python",
        "papermill",
        "nbconvert",
        "altair",
        "polars",
        "great-expectations",
        "vl-convert-python",
        "vega",
    }
    assert sorted(manifest["reports"]) == [
        "test/en/benchmark-A",
        "test/en/ddr",
        "test/en/overview",
        "test/fr/benchmark-A",
        "test/fr/ddr",
        "test/fr/overview",
    ]
    report = manifest["reports"]["test/fr/benchmark-A"]
    assert report["status"] == "ok" and report["parameters"]["benchmark"] == "A"
    # each report records the checksum of the data it read and its parts, as its page prints it
    checksum = report["inputs"]["data_checksum"]
    assert re.fullmatch(r"[0-9a-f]{64}", checksum) and report["roadmap"] == "test"
    assert set(report["inputs"]["data"]) >= {"benchmark test/A"}
    page = (fixture_build.reports / "test" / "fr" / "benchmark-A.html").read_text(encoding="utf-8")
    assert f"<code>{checksum[:12]}</code>" in page
    assert checksum != manifest["reports"]["test/fr/overview"]["inputs"]["data_checksum"]  # it reads every benchmark
    index = (fixture_build.reports / "test" / "fr" / "index.html").read_text(encoding="utf-8")
    assert f"<code>{manifest['data']['roadmaps']['test'][:12]}</code>" in index  # the index: the roadmap's data
    assert re.fullmatch(r"[0-9a-f]{64}", report["inputs"]["notebook"]["sha256"])
    assert re.fullmatch(r"[0-9a-f]{64}", report["html"]["sha256"]) and report["html"]["bytes"] > 0
    assert report["sidecar"] == {"status": "on_track", "score": 0.5}
    # Timings would change the bytes of every rebuild: they stay in build/run.json.
    assert "duration_s" not in report and "attempts" not in report
    assert isinstance(
        json.loads((fixture_build.build / "run.json").read_text())["jobs"]["test/fr/benchmark-A"]["duration_s"], float
    )
    assert manifest["reports"]["test/fr/ddr"]["status"] == "failed"


@pytest.mark.parametrize(
    ("fragment", "kept", "gone"),
    [
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>", "javascript"),
        ('<a href=" JaVa\tScRiPt:alert(1)">x</a>', "<a>x</a>", "alert"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>", "data:"),
        ('<a href="https://www.un.org/" title="UN">UN</a>', '<a href="https://www.un.org/" title="UN">UN</a>', "@@"),
        ('<a href="#sources">s</a>', '<a href="#sources">s</a>', "@@"),
        ('<img src="https://example.com/a.png" alt="a">', '<img alt="a">', "example.com"),
        ('<img src="data:image/png;base64,iVBORw0KGgo=" alt="">', 'src="data:image/png;base64,iVBORw0KGgo="', "@@"),
        ('<link rel="stylesheet" href="https://cdn.example/x.css"><p>t</p>', "<p>t</p>", "cdn"),
        ('<script src="https://cdn.jsdelivr.net/npm/vega@6"></script><p>t</p>', "<p>t</p>", "jsdelivr"),
        ("<script>alert(1)</script><p>t</p>", "<p>t</p>", "alert"),
        ('<iframe src="https://example.com"><p>in</p></iframe><p>t</p>', "<p>t</p>", "example"),
        ('<div onclick="alert(1)" class="c">t</div>', '<div class="c">t</div>', "onclick"),
        (
            "<style>@import url(https://fonts.example/css);.a{background:url(https://x/y.png)}</style>",
            "<style>none.a{background:none}</style>",
            "https",
        ),
        (
            '<svg><use href="https://example.com/s.svg#a"></use><use href="#b"></use></svg>',
            '<use href="#b">',
            "example",
        ),
        ('<p style="background:url(https://x/y.png)">t</p>', "<p>t</p>", "https"),
        ("<p>1 &lt; 2 &amp; 3</p>", "<p>1 &lt; 2 &amp; 3</p>", "@@"),
    ],
)
def test_sanitiser(fragment: str, kept: str, gone: str) -> None:
    clean = sanitise(fragment)
    assert kept in clean
    assert gone not in clean


@pytest.mark.parametrize(
    "fragment",
    [
        # inside SVG, <style> is not raw text: a browser reads the <img> in it as an element
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ],
)
def test_sanitiser_parses_as_a_browser_does(fragment: str) -> None:
    assert "onerror" not in sanitise(fragment)


def test_markdown_links_with_harmful_schemes_lose_their_target() -> None:
    html = markdown("[a](javascript:alert(1)) [b](https://www.un.org/) <a href='vbscript:x'>c</a>")
    assert_no_javascript_link(html)
    assert '<a href="https://www.un.org/">b</a>' in html


def _chart() -> alt.Chart:
    return alt.Chart(alt.Data(values=[{"a": 1, "b": 2}, {"a": 2, "b": 3}])).mark_point().encode(x="a:Q", y="b:Q")


def test_new_charts_drawn_ahead_on_every_core_are_the_bytes_a_page_would_draw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vl_convert as vlc

    specs = [
        (_chart().properties(width=100 + n, title=f"chart {n}").to_dict(), True) for n in range(drawing.MIN_POOLED + 2)
    ]
    specs.append(({"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "mark": "nonsense"}, True))
    ahead, alone = tmp_path / "ahead", tmp_path / "alone"
    drawing.Charts("svg", ahead).add(*specs[0])  # already in the cache: not drawn again
    assert drawing.draw_ahead(specs + specs[:3], ahead, workers=2).wait() == len(specs) - 1  # each new chart once
    monkeypatch.setattr(vlc, "vegalite_to_svg", lambda *a, **k: pytest.fail("a page drew a chart drawn ahead"))
    pages = [drawing.Charts("svg", ahead).add(*chart) for chart in specs[:-1]]
    monkeypatch.undo()
    assert pages == [drawing.Charts("svg", alone).add(*chart) for chart in specs[:-1]]
    assert sorted(p.name for p in ahead.iterdir()) == sorted(p.name for p in alone.iterdir())
    with pytest.raises(ValueError):  # what no worker could draw, its page draws, and fails with its name
        drawing.Charts("svg", ahead).add(*specs[-1])


def test_a_chart_drawn_with_other_fonts_is_drawn_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # text is measured to lay a chart out: a font installed since (Debian's chromium brings
    # Liberation Sans, which the theme names) moves its axes, so the kept SVG is not reused
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    monkeypatch.setattr(drawing, "FONT_FOLDERS", (str(fonts),))
    drawing.fonts_key.cache_clear()
    spec = _chart().to_dict()
    before = drawing.svg_key(spec)
    (fonts / "LiberationSans-Regular.ttf").write_bytes(b"a font file")
    drawing.fonts_key.cache_clear()
    after = drawing.svg_key(spec)
    drawing.fonts_key.cache_clear()
    assert before != after
    (fonts / "notes.txt").write_text("not a font")
    assert drawing.svg_key(spec) == after
    drawing.fonts_key.cache_clear()


def test_altair_default_html_output_becomes_a_chart_without_its_cdn_script() -> None:
    from altair.vegalite.v6.display import html_renderer

    html = html_renderer(_chart().to_dict())["text/html"]
    assert "cdn.jsdelivr.net" in html
    found = altair_html_spec(html)
    assert found is not None
    spec, vegalite = found
    assert vegalite and spec["mark"] == {"type": "point"}
    figure = output_html({"output_type": "display_data", "data": {"text/html": html}}, Charts("svg"))
    assert figure.startswith('<figure class="chart" id="chart-1" role="img" tabindex="0" aria-label=""><svg')
    assert "<script" not in figure


def _report_bundle(spec: dict[str, Any]) -> dict[str, Any]:
    """The MIME bundle the notebooks' renderer gives Jupyter for `spec` (Altair's default restored after)."""
    renderer.use_report_renderer()
    try:
        render = alt.renderers.get()
        assert render is not None
        shown = render(spec)
    finally:
        alt.renderers.enable("default")
    assert isinstance(shown, tuple)  # the bundle, and its metadata
    return shown[0]


def test_the_report_renderer_saves_charts_as_vegalite_v6_json() -> None:
    bundle = _report_bundle(_chart().to_dict())
    assert set(bundle) == {"application/vnd.vegalite.v6+json", "text/html", "text/plain"}
    assert bundle["text/html"].startswith('<img alt="" src="data:image/svg+xml;base64,')
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data=bundle)])]
    )
    nbformat.validate(nb)  # unlike Altair's "mimetype" renderer (``...v6.json``), nbformat accepts it


def test_a_chart_with_remote_data_is_saved_without_a_preview_and_nothing_is_fetched() -> None:
    # in JupyterLab (the preview draws an SVG): the chart is still saved, for render to refuse
    remote = {**_chart().to_dict(), "data": {"url": "https://example.com/data.csv"}}
    bundle = _report_bundle(remote)
    assert set(bundle) == {"application/vnd.vegalite.v6+json", "text/plain"}
    for url in ("https://example.com/data.csv", "file:///etc/hostname", "/etc/hostname"):
        with pytest.raises(PermissionError, match="VLC_ACCESS_DENIED"):
            renderer.offline_vl_convert().vegalite_to_svg({**remote, "data": {"url": url}})


def test_a_chart_s_text_alternative_is_on_its_figure_and_its_notebook_image() -> None:
    spec = charts.trend_chart(OBSERVATIONS, WOMEN, "fr", SOURCES).to_dict()
    alt_text = escape(renderer.alternative(spec))
    assert (
        Charts("svg")
        .add(spec)
        .startswith(f'<figure class="chart" id="chart-1" role="img" tabindex="0" aria-label="{alt_text}">')
    )
    bundle = _report_bundle(spec)
    assert bundle["text/html"].startswith(f'<img alt="{alt_text}" src="data:image/svg+xml;base64,')


def test_charts_must_embed_their_data() -> None:
    spec = {"data": {"url": "https://example.com/data.csv"}, "mark": "point"}
    for mode in ("svg", "vega"):
        with pytest.raises(RenderError, match=r"example\.com"):
            Charts(mode).add(spec)


def test_two_charts_in_a_page_do_not_share_svg_ids() -> None:
    charts = Charts("svg")
    layered = (_chart() + _chart().mark_line()).properties(width=100).to_dict()
    first, second = charts.add(layered), charts.add(layered)
    ids = re.findall(r'\sid="([^"]+)"', first + second)
    assert len(ids) == len(set(ids))
    for figure in (first, second):
        for ref in re.findall(r"url\(#([^)]+)\)", figure):
            assert f'id="{ref}"' in figure


def test_an_unchanged_chart_is_drawn_once_across_pages_and_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vl_convert as vlc

    drawn: list[int] = []
    real = vlc.vegalite_to_svg

    def counting(*args: object, **kwargs: object) -> str:
        drawn.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(vlc, "vegalite_to_svg", counting)
    spec = _chart().properties(width=100).to_dict()
    first = Charts("svg", tmp_path).add(spec)
    again = Charts("svg", tmp_path).add(spec)  # another page, or the next build
    assert len(drawn) == 1 and again == first  # the same bytes as drawn
    other = _chart().mark_line().properties(width=100).to_dict()
    Charts("svg", tmp_path).add(other)
    assert len(drawn) == 2  # a changed chart is drawn
    assert Charts("svg").add(spec) == first and len(drawn) == 3  # no cache: always drawn


# --- the environment: a read-only reports/, a full disk --------------------------------------


def _empty_build(project: Path) -> Path:
    """A build whose run produced no report: render still writes the home page and the manifest."""
    build = project / "build"
    build.mkdir(parents=True)
    (build / "run.json").write_text('{"jobs": {}}', encoding="utf-8")
    return build


def _without_root_override() -> None:
    """In the child, before it starts Python: as root (CI), give up the capabilities that let
    root write where the permissions say no (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), dropped
    from the bounding set so that the exec does not grant them again."""
    if os.geteuid() == 0:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "cannot drop a capability")


def test_a_read_only_reports_folder_exits_4_with_one_line_naming_the_step_and_the_path(tmp_path: Path) -> None:
    project = tmp_path / "project"
    build = _empty_build(project)
    reports = project / "reports"
    reports.mkdir()
    (reports / "index.html").write_text("the last good build", encoding="utf-8")
    reports.chmod(0o555)  # no write permission (root's override is dropped in the child)
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", *render_argv(build, reports, project / "processed")],
        env={**os.environ, "MINUSMA_ROOT": str(project)},
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_without_root_override,
    )
    assert done.returncode == 4, done.stderr
    assert done.stderr.splitlines() == [
        "error: [render] cannot write reports: Permission denied (EACCES); the previous outputs are left "
        "as they were: make the folder writable or free some space, then build again"
    ]
    assert sorted(p.name for p in reports.iterdir()) == ["index.html"]
    assert (reports / "index.html").read_text(encoding="utf-8") == "the last good build"
    assert not (project / ".reports.staging").exists()


def test_a_full_disk_exits_4_and_leaves_no_staging_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines.cli import main
    from pipelines.core import store

    build, reports = _empty_build(tmp_path), tmp_path / "reports"
    real_write = store.write_bytes_atomic

    def full(path: Path, data: bytes) -> None:
        if path.name == "manifest.json":  # the disk fills up once the pages are staged
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real_write(path, data)

    monkeypatch.setattr(store, "write_bytes_atomic", full)
    assert main(render_argv(build, reports, tmp_path / "p")) == 4
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("error: [render] cannot write ") and ".reports.staging/manifest.json: " in line
    assert "(ENOSPC)" in line
    assert not reports.exists() or not any(reports.iterdir())
    assert not (tmp_path / ".reports.staging").exists()  # the staged pages went with the build


def test_the_styles_of_notebook_outputs_go_to_the_pages_head_once_and_an_svgs_own_stays() -> None:
    from pipelines.render.pages import lift_styles

    style = "<style>.mr-badge{color:#fff}</style>"
    svg = "<svg><style>.c1-x{fill:red}</style><text>1</text></svg>"
    parts, styles = lift_styles([f'<div class="output">{style}<h1>A</h1></div>', f"<div>{style}<p>b</p>{svg}</div>"])
    assert styles == [style]
    assert parts == ['<div class="output"><h1>A</h1></div>', f"<div><p>b</p>{svg}</div>"]
