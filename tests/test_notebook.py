"""notebook: a reader's plain `jupyter nbconvert --to html --execute` of a view notebook keeps
the view, drawn offline by the runtime."""

from __future__ import annotations

import subprocess

import pytest

from stargate_explainer.runtime import module_text

from .browser import READY
from .conftest import ROOT

NOTEBOOKS = {
    "org_chart": "org",
    "funding": "funding",
    "timeline": "timeline",
    "markets": "markets",
    "claims": "claims",
    "sources": "sources",
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebooks")
    for name in NOTEBOOKS:
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


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_exported_notebook_draws_its_view_offline(browser, exported, name):
    html = (exported / f"{name}.html").read_text("utf-8")
    assert html.count(module_text()[:300]) == 1  # the runtime is inlined once
    assert "jupyter-widgets/html-manager" not in html  # no widget state that needs a CDN
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
    )
    page.goto((exported / f"{name}.html").as_uri(), wait_until="load")
    page.wait_for_function(READY, arg=NOTEBOOKS[name], timeout=30_000)
    assert page.locator(f".sg-view-{NOTEBOOKS[name]}").count() == 1
    assert errors == []
    page.close()


def test_show_refuses_an_unknown_view():
    from stargate_explainer.notebook import show

    with pytest.raises(ValueError, match="unknown view"):
        show("nope")


def test_later_outputs_reuse_the_runtime_of_the_first():
    from stargate_explainer import notebook

    first = notebook.show("org").data
    second = notebook.show("funding").data
    assert module_text()[:300] not in second
    assert "stargateStart" in second
    assert len(second) < len(first)
