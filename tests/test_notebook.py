"""notebook: `show()` outputs carry what they need, so a reader's plain
`jupyter nbconvert --to html --execute` keeps every view, drawn offline, each independent of the
others and of the page around it, and looking as it does on the static site."""

from __future__ import annotations

import subprocess

import nbformat
import pytest

from stargate_explainer import load, runtime

from .browser import READY, look, look_differences, open_local_page, wait_ready
from .conftest import ROOT

NOTEBOOKS = {
    "org_chart": "org",
    "funding": "funding",
    "timeline": "timeline",
    "markets": "markets",
    "claims": "claims",
    "sources": "sources",
}
JUPYTER = str(ROOT / ".venv" / "bin" / "jupyter")
# The views of the three-output notebook, in order.
THREE = [("funding", "en"), ("timeline", "ja"), ("org", "en")]


def _export(notebook: str, out, cwd=ROOT / "dashboards") -> None:
    subprocess.run(
        [JUPYTER, "nbconvert", "--to", "html", "--execute", notebook, "--output-dir", str(out)],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebooks")
    for name in NOTEBOOKS:
        _export(f"{name}.ipynb", out)
    return out


@pytest.fixture(scope="module")
def three_views(tmp_path_factory):
    """One notebook with three `show()` outputs, exported as a reader would."""
    out = tmp_path_factory.mktemp("three")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_code_cell("from stargate_explainer.notebook import show")]
    notebook.cells += [
        nbformat.v4.new_code_cell(f"show({view!r}, lang={lang!r})") for view, lang in THREE
    ]
    nbformat.write(notebook, out / "three.ipynb")
    _export("three.ipynb", out, cwd=out)
    return out / "three.html"


def _drawn(page, count: int) -> None:
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('.sg-app .sg-plot')].filter((p) => +p.dataset.revision > 0).length >= n",
        arg=count,
        timeout=30_000,
    )


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_exported_notebook_draws_its_view_offline(pages, exported, name):
    html = (exported / f"{name}.html").read_text("utf-8")
    assert html.count(runtime.script_text()[:300]) == 1  # one output, one copy
    assert "jupyter-widgets/html-manager" not in html  # no widget state that needs a CDN
    page, record = open_local_page(pages, (exported / f"{name}.html").as_uri())
    page.wait_for_function(READY, arg=NOTEBOOKS[name], timeout=30_000)
    assert page.locator(f".sg-view-{NOTEBOOKS[name]}").count() == 1
    # nbconvert's own template asks a CDN for require.js and MathJax (and gets no answer here);
    # the view needs neither.
    assert record.errors == []


def test_three_views_in_one_export_repeat_no_id_and_leave_the_page_alone(pages, three_views):
    page = pages.new_page(color_scheme="dark")
    page.goto(three_views.as_uri())
    _drawn(page, 3)
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map((e) => e.id)")
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    # Every reference to an id finds an element of its own drawing.
    dangling = page.evaluate(
        """() => [...document.querySelectorAll('.sg-app [aria-controls], .sg-app [for], .sg-app [aria-labelledby]')]
          .flatMap((e) => ['aria-controls', 'for', 'aria-labelledby'].map((a) => e.getAttribute(a)).filter(Boolean)
            .flatMap((v) => v.split(' ')).filter((id) => { const t = document.getElementById(id); return !t || t.closest('.sg-app') !== e.closest('.sg-app'); }))"""
    )
    assert dangling == []
    fills = page.evaluate(
        """() => [...document.querySelectorAll('.sg-app [style*="url(#"]')].map((e) => {
          const id = e.getAttribute('style').match(/url\\(#([^)]+)\\)/)[1];
          const t = document.getElementById(id);
          return t && t.closest('svg') === e.closest('svg');
        })"""
    )
    assert fills and all(fills)
    # A notebook output themes itself: the exported page keeps its own look in dark mode.
    assert page.evaluate("document.documentElement.dataset.sgTheme") is None
    assert (
        page.evaluate(
            "Object.keys(document.body.dataset).filter((k) => k.startsWith('sg') || k === 'ready')"
        )
        == []
    )


def test_each_output_controls_only_itself(pages, three_views):
    page = pages.new_page()
    page.goto(three_views.as_uri())
    _drawn(page, 3)
    apps = page.locator(".sg-app")
    plots = "(app) => [...app.querySelectorAll('.sg-plot')].map((p) => p.dataset.revision + p.innerHTML)"
    before = [apps.nth(i).evaluate(plots) for i in (1, 2)]
    apps.nth(0).locator("[data-currency=JPY]").click()
    values = apps.nth(0).locator(".sg-chart[data-chart=funding-per-funder] text.sg-value")
    assert values.first.text_content().startswith("¥")
    assert [apps.nth(i).evaluate(plots) for i in (1, 2)] == before


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from stargate_explainer.static_site import build_site

    out = tmp_path_factory.mktemp("site")
    build_site(load(), out)
    return out


@pytest.mark.parametrize("width", [1280, 500])
def test_an_exported_output_looks_like_the_static_sites_view(pages, three_views, site, width):
    """Each view of the export, element by element (boxes within 1 px, computed styles equal),
    against the static site's embedded view drawn at the same width: the notebook's own styles
    for outputs (nbconvert's JupyterLab CSS) change nothing in it."""
    export = pages.new_page(viewport={"width": width, "height": 900})
    export.goto(three_views.as_uri())
    _drawn(export, 3)
    for index, (view, lang) in enumerate(THREE):
        app = export.locator(".sg-app").nth(index)
        app_width = app.evaluate("(app) => app.getBoundingClientRect().width")
        static = pages.new_page(viewport={"width": round(app_width), "height": 900})
        path = site / ("index.html" if lang == "en" else f"{lang}/index.html")
        static.goto(f"{path.as_uri()}#view={view}&lang={lang}&embed=1")
        wait_ready(static, view)
        assert static.locator(".sg-app").evaluate(
            "(app) => app.getBoundingClientRect().width"
        ) == pytest.approx(app_width, abs=0.5)
        drawn = look(app.locator(f".sg-view-{view}"))
        assert len(drawn) > 100
        assert look_differences(drawn, look(static.locator(f".sg-view-{view}"))) == [], view


def test_an_output_draws_whatever_was_shown_before_it():
    """No memory of what the kernel sent: every output carries the runtime and its model."""
    from stargate_explainer.notebook import show

    outputs = [show("org").data, show("funding").data]
    for html in outputs:
        assert runtime.script_text()[:300] in html
        assert "data-sg-model=" in html and "mountHosts(document.currentScript.parentNode)" in html


def test_show_refuses_an_unknown_view():
    from stargate_explainer.notebook import show

    with pytest.raises(ValueError, match="unknown view"):
        show("nope")
