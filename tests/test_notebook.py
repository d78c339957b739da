"""A reader's plain `jupyter nbconvert --to html --execute` of a view notebook keeps its charts,
drawn offline."""

from __future__ import annotations

import subprocess

import pytest

from stargate_explainer.export import PLOTLY_JS

from .conftest import ROOT

CHARTS = {"org_chart": 1, "funding": 4, "timeline": 1, "markets": 1, "claims": 0, "sources": 0}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebooks")
    for name in CHARTS:
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "jupyter"),
                "nbconvert",
                "--to",
                "html",
                "--execute",
                f"{name}.ipynb",
                "--output-dir",
                str(out),
            ],
            cwd=ROOT / "dashboards",
            check=True,
            capture_output=True,
            timeout=300,
        )
    return out


@pytest.mark.parametrize("name", list(CHARTS))
def test_exported_notebook_draws_its_charts_offline(browser, exported, name):
    html = (exported / f"{name}.html").read_text("utf-8")
    assert html.count(PLOTLY_JS.read_text("utf-8")[:200]) == (1 if CHARTS[name] else 0)
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
    )
    page.goto((exported / f"{name}.html").as_uri(), wait_until="load")
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('.plotly-graph-div')]"
        ".filter((e) => e.querySelector('.main-svg')).length >= n",
        arg=CHARTS[name],
        timeout=30_000,
    )
    assert page.locator(".plotly-graph-div").count() == CHARTS[name]
    assert errors == []
    page.close()
