"""The explainer in a real JupyterLab, as a notebook user meets it: two `dashboard()` widgets and
a `show()` output in one notebook, each drawn on its own; Python sets one widget's traits and the
others stay as they were; the views follow JupyterLab's theme and leave JupyterLab's own look
alone; after a browser reload (the kernel still running) the restored widgets and a new output
draw; the dataset's CSV downloads from any display of a widget. One JupyterLab server for the
module, a notebook and a kernel of its own for each test, Debian's Chromium."""

from __future__ import annotations

import zipfile

import nbformat
import pytest

from stargate_explainer import load
from stargate_explainer.data_export import csv_texts

from .browser import ARTIFACTS, jupyter_lab, look, look_differences, wait_ready
from .pixels import differing

SETUP = (
    "from stargate_explainer import dashboard\n"
    "from stargate_explainer.notebook import show\n"
    "d1 = dashboard(view='funding')\n"
    "d2 = dashboard(view='funding')"
)
# Cells, in order: the set-up, the two widgets, a show() output, the second widget once more.
CELLS = [SETUP, "d1", "d2", "show('funding')", "d2"]
D1, D2, SHOWN, D2_AGAIN = 1, 2, 3, 4

# The notebook is open, its kernel idle and its cells in the page.
NOTEBOOK_READY = """() => {
  const panel = window.jupyterapp?.shell.currentWidget;
  return Boolean(panel?.content?.widgets?.length && panel.sessionContext?.session?.kernel?.status === 'idle');
}"""
# Every drawing in cells `indices` shows its view with every chart drawn.
DRAWN = """(indices) => indices.every((i) => {
  const app = window.jupyterapp.shell.currentWidget.content.widgets[i].node.querySelector('.sg-app');
  const view = app && app.querySelector('.sg-view:not([hidden])');
  return Boolean(view) && [...view.querySelectorAll('.sg-plot')].every((p) => +p.dataset.revision > 0);
})"""


def _cell(page, index: int):
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def _app(page, index: int):
    return _cell(page, index).locator(".sg-app")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with jupyter_lab(tmp_path_factory.mktemp("lab")) as running:
        yield running


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from stargate_explainer.static_site import build_site

    out = tmp_path_factory.mktemp("site")
    build_site(load(), out)
    return out / "index.html"


def _keep(page, name: str) -> None:
    """The window as it is now, for a person to look at (test-artifacts/screenshots/)."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def _like_the_static_site(pages, page, site, theme: str) -> list:
    """How the show() output's view differs from the static site's, drawn at the same width
    in the same theme (the static site's follows the system's)."""
    view = _app(page, SHOWN).locator(".sg-view-funding")
    _reveal(view)
    width = _app(page, SHOWN).evaluate("(app) => app.getBoundingClientRect().width")
    static = pages.new_page(viewport={"width": round(width), "height": 900}, color_scheme=theme)
    static.goto(f"{site.as_uri()}#view=funding&embed=1")
    wait_ready(static, "funding")
    assert static.locator(".sg-app").get_attribute("data-sg-theme") == theme
    differences = look_differences(look(view), look(static.locator(".sg-view-funding")))
    _reveal(view.locator(".sg-chart").first)
    _keep(page, f"jupyterlab-show-funding-{theme}")
    return differences


@pytest.fixture
def notebook(lab, request):
    """This test's own copy of the notebook (so its own kernel), named after the test, opened
    in a JupyterLab workspace of its own (else JupyterLab reopens the notebooks of the tests
    before it beside it)."""
    name = f"{request.node.name}.ipynb"
    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    book.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nbformat.write(book, lab.root / name)
    return f"{lab.url}/lab/workspaces/{request.node.name}/tree/{name}"


def _open(pages, url, **options):
    page = pages.new_page(viewport={"width": 1280, "height": 900}, **options)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function(NOTEBOOK_READY, timeout=120_000, polling=100)
    return page, errors


def _run_all(page) -> None:
    page.evaluate("jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(DRAWN, arg=[D1, D2, SHOWN, D2_AGAIN], timeout=120_000, polling=100)


def _execute(page, code: str) -> None:
    """A new cell at the end holding `code`, run as a reader runs it; returns once it ran."""
    page.evaluate(
        """async (code) => {
          const panel = jupyterapp.shell.currentWidget;
          panel.content.activeCellIndex = panel.content.widgets.length - 1;
          await jupyterapp.commands.execute('notebook:insert-cell-below');
          panel.content.activeCell.model.sharedModel.setSource(code);
          await jupyterapp.commands.execute('notebook:run-cell');
        }""",
        code,
    )


def _output(page) -> str:
    """The text the last cell printed."""
    return (
        page.locator(".jp-Notebook .jp-Cell")
        .last.locator(".jp-OutputArea-output")
        .text_content()
        .strip()
    )


# The element scrolled to the middle of JupyterLab's notebook and held still for a few frames
# (JupyterLab scrolls on its own after a cell runs): its box on screen.
STILL = """async (element) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  let box = null;
  for (let still = 0, frames = 0; still < 3 && frames < 600; frames++) {
    const next = element.getBoundingClientRect();
    const inside = next.top >= 0 && next.bottom <= innerHeight;
    if (!inside) element.scrollIntoView({ block: 'center' });
    still = inside && box && next.top === box.top && next.left === box.left && next.height === box.height ? still + 1 : 0;
    box = next;
    await frame();
  }
  return { x: box.left, y: box.top, width: box.width, height: box.height };
}"""


def _reveal(locator) -> dict:
    """Scrolls to the element (JupyterLab skips drawing cells out of sight): its box."""
    return locator.evaluate(STILL)


def _look(page, locator) -> bytes:
    """What `locator` looks like on screen."""
    return page.screenshot(clip=_reveal(locator))


def _known(page, index: int):
    """The chart of what is known of the funding, with its "not disclosed" hatching."""
    return _app(page, index).locator(".sg-chart[data-chart=funding-known] .sg-plot")


# The SVG of every chart in a drawing, with its revision: equal means nothing was redrawn.
PLOTS = (
    "(app) => [...app.querySelectorAll('.sg-plot')].map((p) => p.dataset.revision + p.innerHTML)"
)


# Each fill that names a pattern (the "not disclosed" hatching) finds it in its own chart.
HATCHES = """(app) => [...app.querySelectorAll('[style*="url(#"]')].map((e) => {
  const id = e.getAttribute('style').match(/url\\(#([^)]+)\\)/)[1];
  const pattern = document.getElementById(id);
  return Boolean(pattern) && pattern.closest('svg') === e.closest('svg') && pattern.querySelector('line, path') !== null;
})"""


def test_python_sets_one_widget_and_the_others_stay_as_they_were(pages, notebook):
    page, errors = _open(pages, notebook)
    _run_all(page)
    # Four drawings, each with ids of its own (SVG patterns and aria-controls find their own).
    ids = page.evaluate(
        "[...document.querySelectorAll('.jp-Notebook .sg-app [id]')].map((e) => e.id)"
    )
    assert ids and len(ids) == len(set(ids))
    # JupyterLab typesets "$…$" in HTML outputs as TeX: the dollar amounts of the show() output
    # stay text.
    assert page.locator(".jp-Notebook .sg-app mjx-container").count() == 0
    assert "$500B over four years" in _app(page, SHOWN).locator(".sg-view-funding").text_content()
    others = [D2, SHOWN, D2_AGAIN]
    plots = {i: _app(page, i).evaluate(PLOTS) for i in others}
    looks = {i: _look(page, _known(page, i)) for i in others}
    _execute(page, 'd1.view = "markets"\nd1.lang = "ja"')
    page.wait_for_function(
        """() => { const app = document.querySelectorAll('.jp-Notebook .jp-Cell')[1].querySelector('.sg-app');
          return app.lang === 'ja' && !app.querySelector('.sg-view-markets')?.hidden; }""",
        timeout=60_000,
    )
    page.wait_for_function(DRAWN, arg=[D1], timeout=60_000)
    _reveal(_app(page, D1).locator(".sg-view-markets .sg-chart").first)
    _keep(page, "jupyterlab-widget-markets-ja")
    for index in others:
        app = _app(page, index)
        assert app.get_attribute("lang") == "en"
        assert app.locator(".sg-view-funding").is_visible()
        hatches = app.evaluate(HATCHES)
        assert hatches and all(hatches), index
        assert app.evaluate(PLOTS) == plots[index], f"cell {index} was redrawn"
        assert differing(_look(page, _known(page, index)), looks[index]) < 0.001, index
    # Python reads the state each widget shows.
    _execute(page, "print(d1.view, d1.lang, d2.view, d2.lang)")
    assert _output(page) == "markets ja funding en"
    assert errors == []


# What JupyterLab's page looks like, apart from what its theme sets (data-jp-* attributes, the
# toolkit's variables in the body's style): the explainer must change none of it.
LAB_LOOK = """() => ({
  html: [...document.documentElement.attributes].map((a) => `${a.name}=${a.value}`).sort(),
  body: [...document.body.attributes].filter((a) => !a.name.startsWith('data-jp-') && a.name !== 'style').map((a) => `${a.name}=${a.value}`).sort(),
  background: getComputedStyle(document.body).backgroundColor,
  notebook: getComputedStyle(document.querySelector('.jp-NotebookPanel')).backgroundColor,
})"""
# Attributes the explainer could set on the page (a host that owns the page does).
OURS = """() => [document.documentElement, document.body].flatMap((e) => [...e.attributes])
  .map((a) => a.name).filter((name) => name.startsWith('data-sg') || name === 'data-ready')"""
THEMES = (
    "() => [...document.querySelectorAll('.jp-Notebook .sg-app')].map((app) => app.dataset.sgTheme)"
)


def _lab_theme(page, name: str) -> None:
    light = "true" if "Light" in name else "false"
    page.evaluate(
        "(name) => jupyterapp.commands.execute('apputils:change-theme', { theme: name })", name
    )
    page.wait_for_function(
        "(light) => document.body.dataset.jpThemeLight === light", arg=light, timeout=30_000
    )


def test_the_views_follow_jupyterlabs_theme_and_leave_jupyterlab_alone(pages, notebook, site):
    page, errors = _open(pages, notebook, color_scheme="dark")
    _run_all(page)
    light = page.evaluate(LAB_LOOK)
    # The system is dark, JupyterLab is light: JupyterLab's theme is the one followed.
    assert page.evaluate(THEMES) == ["light"] * 4
    assert page.evaluate(OURS) == []
    assert _like_the_static_site(pages, page, site, "light") == []
    _lab_theme(page, "JupyterLab Dark")
    page.wait_for_function(f"() => ({THEMES})().every((theme) => theme === 'dark')", timeout=10_000)
    dark = page.evaluate(LAB_LOOK)
    assert page.evaluate(OURS) == []
    assert dark["background"] != light["background"]  # JupyterLab's own dark, not ours
    assert "rgb(21, 23, 28)" not in (dark["background"], dark["notebook"])
    assert _like_the_static_site(pages, page, site, "dark") == []
    _lab_theme(page, "JupyterLab Light")
    page.wait_for_function(
        f"() => ({THEMES})().every((theme) => theme === 'light')", timeout=10_000
    )
    assert page.evaluate(LAB_LOOK) == light
    # A reader's own choice in one drawing is that drawing's alone (two displays of d2 too).
    app = _app(page, D2)
    _reveal(app.locator(".sg-tools-button"))
    app.locator(".sg-tools-button").click()
    app.locator("[data-action=theme]").click()
    assert page.evaluate(THEMES) == ["light", "dark", "light", "light"]
    assert page.evaluate(LAB_LOOK) == light
    assert errors == []


def _dataset_csv(page, index: int) -> dict[str, str]:
    """The dataset's CSV files, downloaded from the drawing in cell `index`."""
    app = _app(page, index)
    _reveal(app.locator(".sg-tools-button"))
    app.locator(".sg-tools-button").click()
    with page.expect_download(timeout=30_000) as download:
        app.locator("[data-action=dataset-csv]").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_after_a_reload_the_restored_widgets_and_a_new_output_draw(pages, notebook):
    page, errors = _open(pages, notebook)
    _run_all(page)
    expected = csv_texts(load())
    assert _dataset_csv(page, D2_AGAIN) == expected  # the second display of one widget
    _execute(page, 'd1.view = "markets"')
    page.evaluate("jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(
        "() => !jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000
    )
    page.reload()
    page.wait_for_function(NOTEBOOK_READY, timeout=120_000, polling=100)
    page.wait_for_function(DRAWN, arg=[D1, D2, SHOWN, D2_AGAIN], timeout=120_000, polling=100)
    assert page.locator(".jp-Notebook .sg-loading").count() == 0
    assert _app(page, D1).locator(".sg-view-markets").is_visible()  # the kernel's state
    _execute(page, 'show("timeline", lang="ja")')
    last = page.locator(".jp-Notebook .jp-Cell").count() - 1
    page.wait_for_function(DRAWN, arg=[last], timeout=60_000, polling=100)
    assert _app(page, last).get_attribute("lang") == "ja"
    assert _dataset_csv(page, D2) == expected  # a restored widget
    assert errors == []
