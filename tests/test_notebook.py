"""notebook: `show()` outputs carry what they need, so a reader's plain
`jupyter nbconvert --to html --execute` keeps every view, drawn offline, each independent of the
others and of the page around it."""

from __future__ import annotations

import subprocess

import nbformat
import pytest

from stargate_explainer import runtime

from .browser import READY, open_local_page
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
    notebook.cells = [
        nbformat.v4.new_code_cell("from stargate_explainer.notebook import show"),
        nbformat.v4.new_code_cell('show("funding")'),
        nbformat.v4.new_code_cell('show("timeline", lang="ja")'),
        nbformat.v4.new_code_cell('show("org")'),
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
def test_exported_notebook_draws_its_view_offline(browser, exported, name):
    html = (exported / f"{name}.html").read_text("utf-8")
    assert html.count(runtime.script_text()[:300]) == 1  # one output, one copy
    assert "jupyter-widgets/html-manager" not in html  # no widget state that needs a CDN
    page, record = open_local_page(browser, (exported / f"{name}.html").as_uri())
    page.wait_for_function(READY, arg=NOTEBOOKS[name], timeout=30_000)
    assert page.locator(f".sg-view-{NOTEBOOKS[name]}").count() == 1
    # nbconvert's own template asks a CDN for require.js and MathJax (and gets no answer here);
    # the view needs neither.
    assert record.errors == []
    page.close()


def test_three_views_in_one_export_repeat_no_id_and_leave_the_page_alone(browser, three_views):
    page = browser.new_page(color_scheme="dark")
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
    page.close()


def test_each_output_controls_only_itself(browser, three_views):
    page = browser.new_page()
    page.goto(three_views.as_uri())
    _drawn(page, 3)
    apps = page.locator(".sg-app")
    plots = "(app) => [...app.querySelectorAll('.sg-plot')].map((p) => p.dataset.revision + p.innerHTML)"
    before = [apps.nth(i).evaluate(plots) for i in (1, 2)]
    apps.nth(0).locator("[data-currency=JPY]").click()
    values = apps.nth(0).locator(".sg-chart[data-chart=funding-per-funder] text.sg-value")
    assert values.first.text_content().startswith("¥")
    assert [apps.nth(i).evaluate(plots) for i in (1, 2)] == before
    page.close()


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
