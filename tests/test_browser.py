"""The dashboard in real headless Chromium against a real Voilà server, with no internet."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from stargate_explainer import load

from .browser import open_page, screenshot, voila_server, wait_ready
from .conftest import ROOT
from .hostile import hostile_dataset

FIGURES = {"org": 1, "funding": 4, "timeline": 1, "markets": 1, "claims": 0, "sources": 0}


@pytest.fixture(scope="module")
def server():
    with voila_server() as url:
        yield url


@pytest.fixture(scope="module")
def data():
    return load()


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("view", list(FIGURES))
def test_every_view_draws_offline_in_both_languages(browser, server, data, view, lang):
    page, record = open_page(browser, f"{server}/?view={view}&lang={lang}")
    wait_ready(page, FIGURES[view])
    title = page.locator(".sg-header h1").inner_text()
    assert title == ("スターゲート解説" if lang == "ja" else "Stargate Explained")
    assert page.locator(f".sg-view-{view}").count() == 1
    if view == "claims":
        assert page.locator(".sg-claim").count() == len(data.claims)
    if view == "sources":
        assert page.locator(".sg-table tr").count() == len(data.sources)
    screenshot(page, f"{view}-{lang}")
    assert record.external == [], "the page asked for something outside this machine"
    assert record.errors == []
    page.close()


def test_phone_width_keeps_the_page_readable(browser, server):
    page, record = open_page(browser, f"{server}/?view=funding&lang=ja", width=390, height=844)
    wait_ready(page, FIGURES["funding"])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshot(page, "funding-ja-phone")
    assert overflow <= 0, f"page is {overflow}px wider than a phone"
    page.close()


def _bar_texts(page) -> list[str]:
    bars = page.locator(".stargate-figure").first.locator(".bartext")
    return bars.evaluate_all("(elements) => elements.map((e) => e.textContent)")


def _revision(page, index: int) -> int:
    return int(page.locator(".stargate-figure").nth(index).get_attribute("data-revision"))


def _shares(page) -> list[float]:
    readouts = page.locator(".sg-controls .widget-slider .widget-readout").all_inner_texts()
    return [float(text.replace(",", "")) for text in readouts[1:]]


def test_funding_slider_keeps_shares_at_100_and_redraws(browser, server):
    page, _ = open_page(browser, f"{server}/?view=funding")
    wait_ready(page, FIGURES["funding"])
    before_revision = _revision(page, 0)
    before_bars = _bar_texts(page)
    assert len(before_bars) == 4 and all(before_bars)
    before = _shares(page)
    assert sum(before) == pytest.approx(100, abs=0.2)
    handle = page.locator(".sg-controls .widget-slider .noUi-handle").nth(4)
    handle.focus()
    for _ in range(10):
        handle.press("ArrowRight")
    page.wait_for_function(
        "(r) => +document.querySelector('.stargate-figure').dataset.revision > r",
        arg=before_revision,
    )
    # Key presses are handled one by one by the kernel: wait until the last one has landed.
    page.wait_for_function(
        """(target) => {
          const texts = [...document.querySelectorAll('.sg-controls .widget-slider .widget-readout')]
            .slice(1).map((e) => parseFloat(e.innerText));
          const sum = texts.reduce((a, b) => a + b, 0);
          return texts[texts.length - 1] >= target && Math.abs(sum - 100) < 0.25;
        }""",
        arg=before[-1] + 5,
    )
    after = _shares(page)
    assert after[-1] > before[-1]
    assert sum(after) == pytest.approx(100, abs=0.2)
    assert "100.0%" in page.locator(".sg-sum").inner_text()
    assert _bar_texts(page) != before_bars
    page.close()


def test_language_switch_turns_labels_japanese_and_back(browser, server):
    page, _ = open_page(browser, f"{server}/?view=timeline")
    wait_ready(page, FIGURES["timeline"])
    page.get_by_role("button", name="日本語").click()
    page.wait_for_function(
        "() => document.querySelector('.sg-header h1').innerText === 'スターゲート解説'"
    )
    page.wait_for_selector(".stargate-figure .gtitle >> text=年表")
    assert page.get_by_role("button", name="組織図").count() == 1
    assert page.locator(".stargate-figure .ytick text", has_text="拠点").count() == 1
    page.get_by_role("button", name="English").click()
    page.wait_for_function(
        "() => document.querySelector('.sg-header h1').innerText === 'Stargate Explained'"
    )
    page.wait_for_selector(".stargate-figure .ytick text >> text=Sites")
    page.close()


def test_selecting_an_org_chart_node_shows_its_sources(browser, server, data):
    page, _ = open_page(browser, f"{server}/?view=org")
    wait_ready(page, FIGURES["org"])
    oracle = data.organisations.set_index("id").loc["oracle", "name_en"]
    page.locator(".sg-view-org select").select_option(label=oracle)
    page.wait_for_selector('.sg-details[data-node="oracle"]')
    links = page.locator('.sg-details[data-node="oracle"] a[href^="http"]')
    assert links.count() > 0
    point = page.locator(".stargate-figure .scatterlayer .trace .points path").last
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*centre)  # plotly picks the clicked point from the hover that precedes it
    page.wait_for_selector(".stargate-figure .hoverlayer .hovertext")
    page.mouse.click(*centre)
    page.wait_for_function("() => !document.querySelector('.sg-details[data-node=\"oracle\"]')")
    assert page.locator('.sg-details a[href^="http"]').count() > 0
    page.close()


def test_bad_data_shows_the_error_panel(browser):
    bad = ROOT / "tests" / "bad_data" / "many_problems.yaml"
    with voila_server(data=bad) as url:
        page, record = open_page(browser, url)
        page.wait_for_selector(".sg-error")
        text = page.locator(".sg-error").inner_text()
        assert f"{bad}:83: claims[0].speaker_id" in text
        assert "Traceback" not in page.content()
        screenshot(page, "error-panel")
        assert record.external == []
        page.close()


@pytest.mark.parametrize(
    "path",
    [
        "/voila/files/pyproject.toml",
        "/voila/files/data/stargate.yaml",
        "/voila/files/.git/config",
        "/voila/files/dashboards/stargate.ipynb",
        "/voila/files/../pyproject.toml",
        "/voila/templates/stargate/static/../../../../../pyproject.toml",
        "/voila/render/dashboards/timeline.ipynb",
        "/api/contents",
        "/api/kernels",
        "/api/sessions",
        "/api/terminals",
        "/terminals/1",
        "/tree",
        "/lab",
    ],
)
def test_server_refuses_everything_but_the_dashboard(server, path):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server + path, timeout=10)
    # Voilà's template-static handler answers a path traversal with 500 rather than 404; what
    # matters is that nothing of the repository comes back.
    assert refused.value.code in (403, 404, 405, 500)
    body = refused.value.read().decode("utf-8", "replace")
    assert "[build-system]" not in body and "sources:" not in body and "[core]" not in body


def test_server_serves_the_dashboard_and_its_assets(server):
    assert urllib.request.urlopen(server + "/", timeout=60).status == 200
    plotly = urllib.request.urlopen(
        server + "/voila/templates/stargate/static/plotly-basic.min.js", timeout=10
    )
    assert plotly.status == 200 and b"plotly.js" in plotly.read(200)


def test_hostile_text_renders_inert_in_every_view(browser, tmp_path):
    with voila_server(data=hostile_dataset(tmp_path)) as url:
        for view in FIGURES:
            page, record = open_page(browser, f"{url}/?view={view}")
            dialogs: list[str] = []
            page.on(
                "dialog",
                lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss()),
            )
            wait_ready(page, FIGURES[view])
            assert page.locator(".sg-error").count() == 0, "the hostile dataset must still load"
            if view == "org":
                page.locator(".sg-view-org select").select_option(index=3)
                page.wait_for_selector(".sg-details")
            assert page.evaluate("window.__xss") is None, view
            assert page.locator("img[src=x]").count() == 0 and dialogs == []
            assert "<script>window.__xss=1</script>" in page.locator(
                ".sg-app"
            ).inner_text() or view in ("markets", "funding")
            page.close()
