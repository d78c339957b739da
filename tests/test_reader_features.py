"""Share links, tables, downloads, theme, embeds, citation and keyboard use, in real headless
Chromium against a real Voilà server and the real exported site (issue 7)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io

import pytest

from stargate_explainer import charts, figures, load
from stargate_explainer.export import build_site
from stargate_explainer.frames import Frames
from stargate_explainer.state import ViewState

from .browser import open_page, screenshot, voila_server, wait_ready
from .test_export import open_offline

PLOT_VALUES = """(figure) => {
  const plot = document.querySelector(`${figure} .stargate-figure`) || document.querySelectorAll('.stargate-figure')[figure];
  return Array.from(plot._fullData[0].x);
}"""


@pytest.fixture(scope="module")
def server():
    with voila_server() as url:
        yield url


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("reader-site")
    build_site(load(), out, dt.date(2026, 11, 23))
    return out


@pytest.fixture(scope="module")
def frames():
    return Frames(load())


def _plotted(page, index: int = 0) -> list[float]:
    return page.evaluate(
        "(i) => Array.from(document.querySelectorAll('.stargate-figure')[i]._fullData[0].x)", index
    )


def _read_csv(download) -> list[dict]:
    text = download.path().read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _live_funding_changed(page) -> None:
    """Move the last funder's share by keyboard and switch to yen, as a reader would."""
    before = int(page.locator(".stargate-figure").first.get_attribute("data-revision"))
    page.get_by_role("button", name="JPY").click()
    page.wait_for_function(
        "(r) => +document.querySelector('.stargate-figure').dataset.revision > r", arg=before
    )
    handle = page.locator(".sg-controls .widget-slider .noUi-handle").nth(4)
    handle.focus()
    for _ in range(6):
        handle.press("ArrowRight")
    page.wait_for_function("() => new URL(location.href).searchParams.has('split')")
    page.wait_for_function(
        """() => { const s = new URL(location.href).searchParams.get('split');
                   const r = document.querySelector('.sg-sum'); return s && r; }"""
    )


def test_live_copied_link_reopens_the_same_state(browser, server):
    page, record = open_page(browser, f"{server}/?view=funding")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    wait_ready(page, 4)
    _live_funding_changed(page)
    page.wait_for_timeout(1500)  # let the last key press reach the kernel and come back
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_selector(".sg-copied >> text=Link copied")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.locator('[data-control="share-link"]').input_value()
    state = ViewState.from_query(link.split("?", 1)[1])
    assert state.view == "funding" and state.currency == "JPY" and state.split
    shown = _plotted(page)
    readouts = page.locator(".sg-controls .widget-readout").all_inner_texts()
    reopened, _ = open_page(browser, link)
    wait_ready(reopened, 4)
    assert _plotted(reopened) == pytest.approx(shown)
    assert reopened.locator(".sg-controls .widget-readout").all_inner_texts() == readouts
    assert reopened.locator(".jupyter-button.mod-active", has_text="JPY").count() == 1
    screenshot(reopened, "live-share-link-reopened")
    assert record.external == [] and record.errors == []
    page.close()
    reopened.close()


def test_live_timeline_lanes_and_dates_travel_in_the_link(browser, server, frames):
    page, _ = open_page(browser, f"{server}/?view=timeline&from=2025-01&to=2025-12&lanes=deal,site")
    wait_ready(page, 1)
    rows = page.locator(".sg-chart-table tbody tr")
    (expected,) = charts.view_charts(
        frames, "timeline", "en", ViewState(start="2025-01", end="2025-12", lanes=("deal", "site"))
    )
    assert rows.count() == len(expected.rows)
    boxes = page.locator(".sg-view-timeline .widget-checkbox input")
    checked = [boxes.nth(i).is_checked() for i in range(boxes.count())]
    assert checked == [lane in ("deal", "site") for lane in frames.lanes]
    boxes.nth(frames.lanes.index("site")).uncheck()
    page.wait_for_function("() => new URL(location.href).searchParams.get('lanes') === 'deal'")
    assert "from=2025-01" in page.url and "to=2025-12" in page.url
    page.close()


def test_live_table_toggle_and_csv_are_the_plotted_rows(browser, server):
    page, _ = open_page(browser, f"{server}/?view=funding&currency=CNY")
    wait_ready(page, 4)
    chart = page.locator(".sg-chart").first
    table = chart.locator(".sg-chart-table")
    assert "sg-visually-hidden" in table.get_attribute("class")
    # hidden from sight, the table is still the chart's text alternative
    assert chart.get_attribute("role") == "figure"
    assert chart.get_attribute("aria-describedby") == table.locator("caption").get_attribute("id")
    assert chart.get_attribute("aria-label") == "Amount per funder"
    toggle = chart.get_by_role("button", name="Table")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and table.is_visible()
    plotted = _plotted(page)
    assert table.locator("tbody tr").count() == len(plotted)
    with page.expect_download() as download:
        chart.get_by_role("button", name="CSV").click()
    rows = _read_csv(download.value)
    assert download.value.suggested_filename == "stargate-funding-per-funder-en.csv"
    assert [float(r["amount_bn"]) for r in rows] == pytest.approx(plotted)
    assert {r["currency"] for r in rows} == {"CNY"}
    assert all(r["source_ids"] and r["source_urls"].startswith("http") for r in rows)
    screenshot(page, "live-table-open")
    page.close()


def _image_checks(page, chart) -> None:
    source_line = page.evaluate(
        "(el) => el.querySelector('.sg-chart-footer') && el.dataset", chart.element_handle()
    )
    assert source_line is not None
    with page.expect_download() as svg_download:
        chart.get_by_role("button", name="SVG image").click()
    svg = svg_download.value.path().read_text("utf-8")
    assert svg.startswith("<svg") and 'class="sg-source-line"' in svg
    assert "Sources:" in svg and "Dataset updated" in svg
    with page.expect_download() as png_download:
        chart.get_by_role("button", name="PNG image").click()
    png = png_download.value.path().read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # The band under the chart holds the source line: it has ink, not just background.
    import base64

    inked = page.evaluate(
        """async (data) => {
          const image = new Image();
          image.src = 'data:image/png;base64,' + data;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.width; canvas.height = image.height;
          const context = canvas.getContext('2d');
          context.drawImage(image, 0, 0);
          const band = context.getImageData(0, image.height - 70, image.width, 70).data;
          let dark = 0;
          for (let i = 0; i < band.length; i += 4) if (band[i] < 128) dark++;
          return dark;
        }""",
        base64.b64encode(png).decode(),
    )
    assert inked > 100


def test_live_png_and_svg_carry_the_source_line(browser, server):
    page, _ = open_page(browser, f"{server}/?view=markets")
    wait_ready(page, 1)
    _image_checks(page, page.locator(".sg-chart").first)
    page.close()


def test_live_dark_theme_changes_charts_and_page(browser, server):
    page, _ = open_page(browser, f"{server}/?view=org")
    wait_ready(page, 1)
    paper = "() => document.querySelector('.stargate-figure')._fullLayout.paper_bgcolor"
    assert page.evaluate(paper) == figures.THEMES["light"]["layout"]["paper_bgcolor"]
    page.get_by_role("button", name="Dark theme").click()
    dark = figures.THEMES["dark"]["layout"]["paper_bgcolor"]
    page.wait_for_function(f"() => ({paper})() === '{dark}'")
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.stargate-figure .main-svg')).backgroundColor"
    )
    assert background != "rgb(255, 255, 255)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 24, 29)"
    screenshot(page, "live-org-dark")
    page.get_by_role("button", name="Dark theme").click()
    page.wait_for_function(f"() => ({paper})() === '#ffffff'")
    page.close()


def test_live_cite_and_dataset_downloads(browser, server, frames):
    page, _ = open_page(browser, f"{server}/?view=claims&lang=ja")
    wait_ready(page, 0)
    page.get_by_role("button", name="引用する").click()
    meta = frames.dataset.document.meta
    plain = page.locator('[data-citation="plain"]').inner_text()
    assert meta.title.ja in plain and server in plain and "{url}" not in plain
    assert page.locator('[data-citation="bibtex"]').inner_text().startswith("@misc{")
    with page.expect_download() as download:
        page.get_by_role("button", name="データ一式（JSON）").click()
    assert download.value.suggested_filename == "stargate.json"
    assert b'"sources"' in download.value.path().read_bytes()
    page.close()


# Every control a reader can use, by role; keyboard-only use must reach each of them.
CONTROLS = "button, select, input, textarea, [role=slider], .noUi-handle, a[href]"


def _keyboard_reaches_every_control(page, scope: str) -> None:
    selector = ", ".join(f"{scope} {part.strip()}" for part in CONTROLS.split(","))
    wanted = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter((e) => {
             const box = e.getBoundingClientRect();
             if (e.type === 'radio' && !e.checked) return false;  // arrows move within a group
             return box.width > 0 && box.height > 0
               && !e.closest('.modebar, [hidden], .sg-visually-hidden')
               && e.checkVisibility({ visibilityProperty: true });  // not in a closed <details>
           }).map((e, i) => { e.dataset.sgWanted = String(i); return i; }).length""",
        selector,
    )
    assert wanted > 5
    # what is hidden from sight is also out of the tab order
    assert page.evaluate(
        "() => [...document.querySelectorAll('.sg-visually-hidden a')]"
        ".every((a) => a.tabIndex === -1)"
    )
    # Start just before the scope, as a reader who tabbed there would be.
    page.evaluate(
        """(scope) => { const start = document.createElement('span');
             start.tabIndex = 0; start.id = 'sg-tab-start';
             document.querySelector(scope).prepend(start); start.focus(); }""",
        scope,
    )
    presses = page.evaluate(
        "() => document.querySelectorAll('a, button, input, select, textarea, [tabindex]').length"
    )
    reached: set[str] = set()
    for _ in range(presses + 20):
        page.keyboard.press("Tab")
        marker = page.evaluate(
            "() => { const e = document.activeElement; const w = e && e.closest('[data-sg-wanted]');"
            " return w ? w.dataset.sgWanted : null; }"
        )
        if marker is not None:
            reached.add(marker)
        if len(reached) == wanted:
            break
    missing = page.evaluate(
        "(reached) => [...document.querySelectorAll('[data-sg-wanted]')]"
        ".filter((e) => !reached.includes(e.dataset.sgWanted)).map((e) => e.outerHTML.slice(0, 120))",
        sorted(reached),
    )
    assert missing == [], f"not reachable by keyboard: {missing}"


def test_live_keyboard_reaches_every_control(browser, server):
    page, _ = open_page(browser, f"{server}/?view=funding")
    wait_ready(page, 4)
    _keyboard_reaches_every_control(page, ".sg-app")
    page.close()


# --- the static site ----------------------------------------------------------------------
def test_static_copied_link_reopens_the_same_state(browser, site):
    page, record = open_offline(browser, site / "index.html")
    page.locator('[data-control="currency"][value="JPY"]').check()
    slider = page.locator('[data-control="share"]').last
    slider.focus()
    for _ in range(8):
        slider.press("ArrowRight")
    legend = page.locator('[data-figure="timeline"] .legend .traces').first
    legend.click()  # hide the first lane
    page.wait_for_function("() => location.hash.includes('lanes=')")
    page.get_by_role("button", name="Copy link").click()
    link = page.locator('[data-control="share-link"]').input_value()
    state = ViewState.from_query(link.split("#", 1)[1])  # Python reads what site.js wrote
    assert state.currency == "JPY" and state.split and state.lanes is not None
    shown = page.evaluate(
        "() => Array.from(document.querySelector('[data-figure=\"funding-per-funder\"]')._fullData[0].x)"
    )
    rows = page.locator('[data-chart="timeline"] tbody tr').count()
    reopened = browser.new_page(viewport={"width": 1280, "height": 900})
    reopened.goto(link)
    reopened.wait_for_selector("body[data-ready=true]", timeout=60_000)
    assert reopened.evaluate(
        "() => Array.from(document.querySelector('[data-figure=\"funding-per-funder\"]')._fullData[0].x)"
    ) == pytest.approx(shown)
    assert reopened.locator('[data-control="currency"][value="JPY"]').is_checked()
    assert reopened.locator('[data-chart="timeline"] tbody tr').count() == rows
    hidden = reopened.evaluate(
        "() => document.querySelector('[data-figure=\"timeline\"]').data"
        ".filter((t) => t.visible === 'legendonly').length"
    )
    assert hidden == 1
    assert record["blocked"] == [] and record["errors"] == []
    page.close()
    reopened.close()


def test_static_page_opens_a_link_the_dashboard_wrote(browser, site, frames):
    """site.js reads ViewState.to_query() text: one link format for both."""
    split = tuple((f, s) for f, s in zip(frames.funders, (40, 30, 20, 10), strict=False))
    state = ViewState(view="funding", currency="CNY", split=split, total=400, end="2025-06")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{(site / 'index.html').as_uri()}#{state.to_query()}")
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    read = page.evaluate("() => window.stargateState.state()")
    assert read["currency"] == "CNY" and read["total"] == 400 and read["to"] == "2025-06"
    assert [tuple(pair) for pair in read["split"]] == [(f, float(s)) for f, s in split]
    rows = page.evaluate(
        "() => [...document.querySelectorAll('[data-chart=\"funding-per-funder\"] tbody tr')].length"
    )
    assert rows == len(frames.funders)
    (expected, *_) = charts.funding_charts(frames, "en", charts.split_for(frames, state))
    assert page.evaluate(
        "() => Array.from(document.querySelector('[data-figure=\"funding-per-funder\"]')._fullData[0].x)"
    ) == pytest.approx(list(expected.rows["amount_bn"]))
    page.close()


def test_static_csv_table_and_images(browser, site):
    page, _ = open_offline(browser, site / "index.html")
    chart = page.locator('[data-chart="markets"]')
    chart.get_by_role("button", name="Table").click()
    plotted = page.evaluate(
        "() => Array.from(document.querySelector('[data-figure=\"markets\"]')._fullData[0].x)"
    )
    assert chart.locator("tbody tr").count() == len(plotted)
    with page.expect_download() as download:
        chart.get_by_role("button", name="CSV").click()
    rows = _read_csv(download.value)
    assert [float(r["change_pct"]) for r in rows] == pytest.approx(plotted)
    _image_checks(page, chart)
    page.close()


def test_static_embed_shows_one_view_and_offers_its_snippet(browser, site):
    page, _ = open_offline(browser, site / "index.html")
    snippet = page.locator('[data-embed="markets"]').input_value()
    assert snippet.startswith("<iframe") and "embed=1" in snippet and "view=markets" in snippet
    source = html.unescape(snippet.split('src="', 1)[1].split('"', 1)[0])
    embedded = browser.new_page(viewport={"width": 800, "height": 700})
    embedded.goto(source)
    embedded.wait_for_selector("body[data-ready=true]", timeout=60_000)
    visible = embedded.evaluate(
        "() => [...document.querySelectorAll('section[data-view]')]"
        ".filter((s) => s.offsetParent !== null).map((s) => s.id)"
    )
    assert visible == ["markets"]
    assert not embedded.locator(".sg-header").is_visible()
    assert embedded.locator(".sg-embed-link a").get_attribute("href").find("embed=1") < 0
    screenshot(embedded, "static-embed-markets")
    embedded.close()
    page.close()


def test_static_dark_theme_and_print(browser, site):
    page, _ = open_offline(browser, site / "ja" / "index.html")
    page.get_by_role("button", name="ダークテーマ").click()
    dark = figures.THEMES["dark"]["layout"]["paper_bgcolor"]
    page.wait_for_function(
        "(dark) => [...document.querySelectorAll('.stargate-figure')]"
        ".every((p) => p._fullLayout && p._fullLayout.paper_bgcolor === dark)",
        arg=dark,
    )
    screenshot(page, "static-ja-dark")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert not page.locator(".sg-chart-tools").first.is_visible()
    assert not page.locator('[data-control="share"]').first.is_visible()
    assert page.locator(".sg-chart-footer .sg-sources").first.is_visible()
    page.close()


def test_static_keyboard_reaches_every_control(browser, site):
    page, _ = open_offline(browser, site / "index.html")
    _keyboard_reaches_every_control(page, "#funding")
    page.close()


@pytest.mark.parametrize(
    "fragment", ["preset=constructor", "currency=__proto__", "lanes=toString", "from=2099-01"]
)
def test_static_page_survives_links_naming_object_internals(browser, site, fragment):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{(site / 'index.html').as_uri()}#view=funding&{fragment}")
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    assert errors == []
    state = ViewState.from_query(page.evaluate("location.hash"))
    assert state.preset == "" and state.currency == "USD" and state.start == ""
    assert state.lanes == (() if "lanes" in fragment else None)
    page.close()


def test_static_resizing_keeps_the_link_on_its_view(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{(site / 'index.html').as_uri()}#view=funding&currency=JPY")
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    page.set_viewport_size({"width": 700, "height": 900})
    page.wait_for_function(
        "() => document.querySelector('[data-figure=\"timeline\"]')._fullLayout.width < 700"
    )
    page.wait_for_timeout(300)
    assert ViewState.from_query(page.evaluate("location.hash")).view == "funding"
    page.close()
