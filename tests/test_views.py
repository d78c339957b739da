"""Every reader scenario against both hosts of the view runtime, with the same assertions: the
live dashboard (a real Voilà server) and the static site (the real export, from file://), in
Debian's headless Chromium with no network."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest

from stargate_explainer import load
from stargate_explainer.data_export import csv_texts
from stargate_explainer.state import VIEWS

from .browser import (
    AXE_COLOUR_RULES,
    READY,
    Host,
    axe_violations,
    open_page,
    screenshot,
    voila_server,
    wait_ready,
)
from .conftest import ROOT

HOSTS = ["live", "static"]


@pytest.fixture(scope="module")
def live():
    with voila_server() as url:
        yield Host("live", url)


@pytest.fixture(scope="module")
def static(tmp_path_factory):
    from stargate_explainer.static_site import build_site

    out = tmp_path_factory.mktemp("site")
    build_site(load(), out)
    return Host("static", (out / "index.html").as_uri())


@pytest.fixture(params=HOSTS)
def host(request) -> Host:
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def data():
    return load()


def _texts(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("(els) => els.map((e) => e.textContent)")


# Text nodes that are a missing value written out ("null", "undefined", "NaN", "[object …]").
WRITTEN_OUT = """() => {
  const walker = document.createTreeWalker(document.querySelector('.sg-app'), NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (/^(null|undefined|NaN)+$/.test(text) || text.includes('[object ')) found.push(text);
  }
  return found;
}"""


def _axe(page, name: str, rules: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical WCAG 2.0–2.2 A/AA violations on the page (of `rules`
    only, if given), one line each: page, rule, element, what to fix."""
    return [
        f"{name}: {v['rule']} ({v['impact']}) at {v['target']}: {v['html']}\n    "
        + (v["summary"] or "").replace("\n", "\n    ")
        for v in axe_violations(page, rules)
    ]


# --- every view draws, in both hosts and languages, at both widths, light and dark, and --------
# --- passes axe-core's WCAG rules in each -------------------------------------------------------
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("view", VIEWS)
def test_every_view_draws_offline(pages, host, view, lang, width, data):
    name = f"{host.name}-{view}-{lang}-{width}"
    page, record = host.open(pages, f"view={view}&lang={lang}", view, lang, width=width)
    brand = page.locator(".sg-brand").inner_text()
    assert brand == ("スターゲート解説" if lang == "ja" else "Stargate Explained")
    assert page.locator(f".sg-view-{view}").is_visible()
    if view == "claims":
        assert page.locator(".sg-claim").count() == len(data.claims)
    if view == "sources":
        shown = page.locator(".sg-sources-table tbody tr").count()
        assert shown == min(len(data.sources), 100)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the window"
    missing = page.evaluate(WRITTEN_OUT)
    assert missing == [], f"missing values were written out as text: {missing}"
    screenshot(page, name)
    # Every rule with the tools panel open (its controls too); in the dark theme, which changes
    # colour tokens only, the rules that read colours.
    page.locator(".sg-tools-button").click()
    violations = _axe(page, name)
    page.locator("[data-action=theme]").click()
    screenshot(page, f"{name}-dark")
    violations += _axe(page, f"{name}-dark", AXE_COLOUR_RULES)
    assert violations == [], "axe-core: serious or critical WCAG violations\n" + "\n".join(
        violations
    )
    assert record.external == [], "the page asked for something outside this machine"
    assert record.errors == []


# --- funding -----------------------------------------------------------------------------------
def _shares(page) -> list[float]:
    values = _texts(page, ".sg-shares output")
    return [float(v.rstrip("%")) for v in values]


def _bar_values(page, chart: str) -> list[str]:
    return _texts(page, f".sg-chart[data-chart={chart}] .sg-plot text.sg-value")


def test_shares_stay_at_100_as_a_slider_moves(pages, host):
    page, _ = host.open(pages, "view=funding", "funding")
    assert sum(_shares(page)) == pytest.approx(100, abs=0.05)
    before = _bar_values(page, "funding-per-funder")
    slider = page.locator(".sg-shares input[type=range]").nth(2)
    slider.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    shares = _shares(page)
    assert sum(shares) == pytest.approx(100, abs=0.05)
    assert _bar_values(page, "funding-per-funder") != before
    assert page.locator("[data-control=preset]").input_value() == "custom"


def test_preset_total_and_currency_redraw_the_what_if_charts(pages, host):
    page, _ = host.open(pages, "view=funding", "funding")
    page.locator("[data-control=preset]").select_option("equal")
    assert _shares(page) == [25, 25, 25, 25]
    page.locator("[data-currency=JPY]").click()
    values = _bar_values(page, "funding-per-funder")
    assert all(v.startswith("¥") for v in values)
    total = page.locator("[data-control=total]")
    total.focus()
    page.keyboard.press("Home")
    assert page.locator(".sg-total-row output").inner_text().startswith("¥")
    _address(page, ["preset=equal", "currency=JPY", "total=100"])


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("currency", ["USD", "JPY", "CNY"])
def test_axis_unit_equals_the_unit_of_the_bar_labels(pages, static, currency, lang):
    page, _ = static.open(pages, f"view=funding&currency={currency}&lang={lang}", "funding", lang)
    for chart in ("funding-per-funder", "funding-per-year"):
        title = page.locator(f".sg-chart[data-chart={chart}] .sg-axis-title").text_content()
        labels = [v for v in _bar_values(page, chart) if v]
        assert labels
        if lang == "ja":
            unit = re.fullmatch(r"(億|兆)(ドル|円|元)", title)
            assert unit, title
            assert all(re.search(rf"[0-9]{unit[1]}{unit[2]}", label) for label in labels), labels
        else:
            unit = {"billions": "B", "trillions": "T"}[title.split()[-1]]
            symbol = title.split()[0].replace("US$", "$")
            assert all(
                label.startswith(symbol) and re.search(rf"[0-9]{unit}\b", label) for label in labels
            )


def test_what_if_charts_say_illustration_in_table_csv_and_images(pages, host):
    page, _ = host.open(pages, "view=funding", "funding")
    for chart in ("funding-per-funder", "funding-per-year"):
        frame = page.locator(f".sg-chart[data-chart={chart}]")
        assert "Illustration" in frame.locator("figcaption").text_content()
        assert "Illustration" in frame.locator("table caption").text_content()
        with page.expect_download() as download:
            frame.locator("[data-action=csv]").click()
        text = download.value.path().read_text("utf-8-sig")
        assert "illustration" in text.splitlines()[0]
        assert "illustration" in download.value.suggested_filename
        with page.expect_download() as download:
            frame.locator("[data-action=svg]").click()
        assert "Illustration" in download.value.path().read_text("utf-8")
        with page.expect_download() as download:
            frame.locator("[data-action=png]").click()
        assert download.value.path().read_bytes().startswith(b"\x89PNG")
    known = page.locator(".sg-chart[data-chart=funding-known]")
    assert "Illustration" not in known.locator("figcaption").text_content()


def test_table_and_csv_hold_exactly_the_plotted_rows(pages, host):
    page, _ = host.open(pages, "view=funding&preset=equal&total=300", "funding")
    frame = page.locator(".sg-chart[data-chart=funding-per-funder]")
    frame.locator("[data-action=table]").click()
    assert frame.locator("[data-action=table]").get_attribute("aria-expanded") == "true"
    rows = frame.locator("tbody tr")
    assert rows.count() == len(_bar_values(page, "funding-per-funder"))
    with page.expect_download() as download:
        frame.locator("[data-action=csv]").click()
    table = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert [float(r["amount_bn"]) for r in table] == [75.0] * 4
    assert sum(float(r["share_pct"]) for r in table) == pytest.approx(100)
    assert all(r["source_ids"] and r["source_urls"].startswith("http") for r in table)


# --- links ---------------------------------------------------------------------------------------
def _address(page, present=(), absent=()) -> str:
    """The page's address once it holds every part of `present` and none of `absent`: the
    runtime writes it after the frame that draws a change, not within the click."""
    page.wait_for_function(
        "([present, absent]) => present.every((part) => location.href.includes(part))"
        " && !absent.some((part) => location.href.includes(part))",
        arg=[list(present), list(absent)],
    )
    return page.evaluate("location.href")


FULL_STATE = (
    "view=funding&lang=ja&currency=JPY&split=softbank:30,openai:30,oracle:25,mgx:15&total=300"
)


def test_a_link_reopens_the_same_view(pages, host):
    page, _ = host.open(pages, FULL_STATE, "funding", "ja")
    shares = _shares(page)
    bars = _bar_values(page, "funding-per-funder")
    link = _address(page, ["split=", "currency=JPY"])
    again, _ = open_page(pages, link)
    wait_ready(again, "funding")
    assert _shares(again) == shares == [30, 30, 25, 15]
    assert _bar_values(again, "funding-per-funder") == bars
    assert again.locator(".sg-lang [aria-pressed=true]").inner_text() == "日本語"


def test_a_link_the_data_cannot_honour_opens_the_defaults(pages, host):
    query = (
        "view=timeline&preset=constructor&split=__proto__:100&node=nobody&from=1999-01&lanes=plan,x"
    )
    page, record = host.open(pages, query, "timeline")
    assert record.errors == []
    _address(page, ["lanes=plan"], ["constructor", "__proto__", "nobody", "1999-01", ",x"])


def test_back_restores_a_view_drawn_before_with_what_changed_since(pages, host):
    """Back two steps changes the view and the currency at once: the funding view, drawn in
    yen and hidden since, is shown in dollars again."""
    page, _ = host.open(pages, "view=funding", "funding")
    page.locator("[data-currency=JPY]").click()
    assert _bar_values(page, "funding-per-funder")[0].startswith("¥")
    page.locator(".sg-tab[data-view=timeline]").click()
    wait_ready(page, "timeline")
    page.evaluate("history.go(-2)")
    page.wait_for_function("() => !document.querySelector('.sg-view-funding').hidden")
    page.wait_for_function("() => !location.href.includes('JPY')")
    assert page.locator("[data-currency=USD]").get_attribute("aria-checked") == "true"
    assert all(v.startswith("$") for v in _bar_values(page, "funding-per-funder"))


def test_an_address_without_a_language_opens_in_the_pages_own(pages, static):
    """The Japanese page's `#view=markets` is Japanese; English chosen there is named in the
    address (English is the links' default), so a reload keeps it, and back returns."""
    page, _ = static.open(pages, "view=markets", "markets", "ja")
    assert page.locator(".sg-app").get_attribute("lang") == "ja"
    page.locator(".sg-lang [data-lang=en]").click()
    _address(page, ["lang=en"])
    page.reload()
    wait_ready(page, "markets")
    assert page.locator(".sg-app").get_attribute("lang") == "en"
    page.go_back()
    page.wait_for_function("() => document.querySelector('.sg-app').lang === 'ja'")


def test_language_switch_relabels_everything(pages, host):
    page, _ = host.open(pages, "view=timeline", "timeline")
    page.locator(".sg-lang [data-lang=ja]").click()
    wait_ready(page, "timeline")
    assert page.locator(".sg-view-timeline h2").inner_text() == "年表"
    assert page.locator(".sg-app").get_attribute("lang") == "ja"
    lanes = _texts(page, ".sg-lane-toggle")
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", lane) for lane in lanes)
    _address(page, ["lang=ja"])


def test_a_language_shown_again_is_the_same_drawing_brought_up_to_date(pages, host):
    page, _ = host.open(pages, "view=funding", "funding")
    page.evaluate("document.querySelector('.sg-app').sgMark = true")
    page.locator(".sg-lang [data-lang=ja]").click()
    wait_ready(page, "funding")
    page.locator("[data-currency=JPY]").click()  # chosen while English is not shown
    page.locator(".sg-lang [data-lang=en]").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('.sg-app').sgMark") is True  # kept, not remade
    assert page.locator(".sg-app").get_attribute("lang") == "en"
    assert all(v.startswith("¥") for v in _bar_values(page, "funding-per-funder"))
    assert page.evaluate("document.activeElement.dataset.lang") == "en"  # focus stays put
    assert page.locator(".sg-app").count() == 1


# --- org chart and timeline: legible at a glance ------------------------------------------------
OVERLAPS = """(selector) => {
  const svg = document.querySelector(selector);
  const frame = svg.getBoundingClientRect();
  const boxes = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim()).map((t) => {
    const r = t.getBoundingClientRect();
    return { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });
  const clipped = boxes.filter((b) => b.left < frame.left - 1 || b.right > frame.right + 1 || b.top < frame.top - 1 || b.bottom > frame.bottom + 1);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (x > 1 && y > 1) overlaps.push([a.text, b.text]);
  }
  return { count: boxes.length, clipped: clipped.map((b) => b.text), overlaps };
}"""


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("view", ["org", "timeline"])
def test_no_label_overlaps_another_or_is_clipped(pages, static, view, lang, size):
    width, height = size
    query = f"view={view}&lang={lang}" + ("&from=2022-01&to=2030-12" if view == "timeline" else "")
    for state in ["", "&from=&to="] if view == "timeline" else [""]:
        page, _ = static.open(pages, query + state, view, lang, width, height)
        chart = "org-chart" if view == "org" else "timeline"
        selector = f".sg-chart[data-chart={chart}] .sg-plot svg"
        if view == "org" and width < 640:
            assert page.locator(".sg-org-list").is_visible()  # a list replaces the diagram
            continue
        result = page.evaluate(OVERLAPS, selector)
        assert result["count"] > 5
        assert result["clipped"] == []
        assert result["overlaps"] == []


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("view", ["funding", "markets"])
def test_no_chart_label_is_clipped_or_overlaps(pages, static, view, lang, size):
    width, height = size
    page, _ = static.open(pages, f"view={view}&lang={lang}", view, lang, width, height)
    charts = page.locator(f".sg-view-{view} .sg-chart").evaluate_all(
        "(charts) => charts.map((c) => c.dataset.chart)"
    )
    assert charts
    for chart in charts:
        result = page.evaluate(OVERLAPS, f".sg-chart[data-chart='{chart}'] .sg-plot svg")
        assert result["count"] > 3, chart
        assert result["clipped"] == [], chart
        assert result["overlaps"] == [], chart


# The org chart as drawn: every pair of edge segments that cross, every stretch where edges of
# two kinds run on one line, every edge segment that passes through a box (SVG user units).
ORG_GEOMETRY = """(svgSelector) => {
  const svg = document.querySelector(svgSelector);
  const segmentsOf = (d) => {
    const nums = d.match(/[ML][^ML]*/g).map((c) => c.slice(1).trim().split(/[ ,]+/).map(Number));
    const segs = [];
    for (let i = 1; i < nums.length; i++) segs.push([nums[i - 1][0], nums[i - 1][1], nums[i][0], nums[i][1]]);
    return segs;
  };
  const edges = [...svg.querySelectorAll('.sg-edge')].filter((g) => getComputedStyle(g).display !== 'none' && getComputedStyle(g).visibility !== 'hidden').map((g) => ({
    key: `${g.dataset.from}>${g.dataset.to}:${g.dataset.kind}`, kind: g.dataset.kind,
    segs: segmentsOf(g.querySelector('.sg-edge-line').getAttribute('d')),
  }));
  const boxes = [...svg.querySelectorAll('.sg-node rect')].map((r) => ({ id: r.parentNode.dataset.node, x: +r.getAttribute('x'), y: +r.getAttribute('y'), w: +r.getAttribute('width'), h: +r.getAttribute('height') }));
  const E = 0.5;
  const cross = (p, q) => {
    const [ax, ay, bx, by] = p, [cx, cy, dx, dy] = q;
    const den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
    if (Math.abs(den) < 1e-9) return false;
    const t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den;
    const u = ((cx - ax) * (by - ay) - (cy - ay) * (bx - ax)) / den;
    const lp = Math.hypot(bx - ax, by - ay), lq = Math.hypot(dx - cx, dy - cy);
    return t * lp > E && (1 - t) * lp > E && u * lq > E && (1 - u) * lq > E;
  };
  const shared = (p, q) => {
    const horizontal = (s) => Math.abs(s[1] - s[3]) < 0.5;
    const vertical = (s) => Math.abs(s[0] - s[2]) < 0.5;
    if (horizontal(p) && horizontal(q) && Math.abs(p[1] - q[1]) < 1.5) {
      return Math.min(Math.max(p[0], p[2]), Math.max(q[0], q[2])) - Math.max(Math.min(p[0], p[2]), Math.min(q[0], q[2])) > 1;
    }
    if (vertical(p) && vertical(q) && Math.abs(p[0] - q[0]) < 1.5) {
      return Math.min(Math.max(p[1], p[3]), Math.max(q[1], q[3])) - Math.max(Math.min(p[1], p[3]), Math.min(q[1], q[3])) > 1;
    }
    return false;
  };
  const crossings = [], runs = [], through = [];
  for (let i = 0; i < edges.length; i++) for (let j = i + 1; j < edges.length; j++) {
    for (const p of edges[i].segs) for (const q of edges[j].segs) {
      if (cross(p, q)) crossings.push([edges[i].key, edges[j].key]);
      if (edges[i].kind !== edges[j].kind && shared(p, q)) runs.push([edges[i].key, edges[j].key]);
    }
  }
  for (const e of edges) for (const s of e.segs) for (const b of boxes) {
    const x0 = Math.min(s[0], s[2]), x1 = Math.max(s[0], s[2]), y0 = Math.min(s[1], s[3]), y1 = Math.max(s[1], s[3]);
    if (x1 > b.x + 1 && x0 < b.x + b.w - 1 && y1 > b.y + 1 && y0 < b.y + b.h - 1) through.push([e.key, b.id]);
  }
  return { edges: edges.length, crossings, runs, through };
}"""


@pytest.mark.parametrize("width", [1280, 1024])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_org_chart_reads_like_a_diagram(pages, host, lang, width, data):
    """With nothing selected: at most 12 crossings, no edge on an edge of another kind, none
    through a box; the partners' commitments to one another are drawn too, and every box's
    accessible name starts with the words it shows."""
    page, _ = host.open(pages, f"view=org&lang={lang}", "org", lang, width=width)
    result = page.evaluate(ORG_GEOMETRY, ".sg-chart[data-chart=org-chart] .sg-plot svg")
    assert result["edges"] >= 20
    assert len(result["crossings"]) <= 12, result["crossings"]
    assert result["runs"] == []
    assert result["through"] == []
    assert page.locator(".sg-edge.sg-context").count() >= 5
    names = page.locator(".sg-node").evaluate_all(
        "(nodes) => nodes.map((n) => [n.textContent.replace(/\\s+/g, ' ').trim(),"
        " n.getAttribute('aria-label')])"
    )
    assert names and all(label.startswith(text) for text, label in names), names
    assert page.locator(".sg-edge-hit:not([role=img])").count() == 0


def test_org_chart_too_large_to_read_is_a_list(pages, tmp_path, monkeypatch):
    from stargate_explainer import org_layout
    from stargate_explainer.static_site import build_site

    monkeypatch.setattr(org_layout, "MAX_ORGS", 3)
    build_site(load(), tmp_path)
    static = Host("static", (tmp_path / "index.html").as_uri())
    page, record = static.open(pages, "view=org", "org")
    assert page.locator(".sg-org-list").is_visible()
    assert page.locator(".sg-org-svg").count() == 0
    assert record.errors == []


def test_clicking_each_org_node_selects_it(pages, host, data):
    page, _ = host.open(pages, "view=org", "org")
    nodes = page.locator(".sg-node")
    assert nodes.count() >= 10
    for index in range(nodes.count()):
        node = nodes.nth(index)
        node_id = node.get_attribute("data-node")
        node.scroll_into_view_if_needed()
        box = node.locator("rect").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        selected = page.locator(f".sg-node[data-node='{node_id}']")
        assert selected.get_attribute("aria-pressed") == "true", node_id
        name = data.organisations.set_index("id").loc[node_id, "name_en"]
        assert page.locator("[data-panel=org-details] h3").inner_text() == name
        if index == 0:
            faded = page.locator(".sg-node.sg-faded").count()
            assert faded > 0  # everything not connected to the selection fades
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_timeline_picks_an_event_from_the_searchable_list(pages, host, data):
    page, _ = host.open(pages, "view=timeline", "timeline")
    page.locator("[data-control=event-search]").fill("White House")
    items = page.locator(".sg-event-item")
    assert 1 <= items.count() < 10
    event_id = items.first.get_attribute("data-event")
    items.first.click()
    assert page.locator(f"circle.sg-point.sg-selected[data-event='{event_id}']").count() == 1
    title = data.events.set_index("id").loc[event_id, "title_en"]
    assert page.locator("[data-panel=event-details] h3").inner_text() == title
    assert page.locator("[data-panel=event-details] .sg-sources li").count() >= 1
    _address(page, [f"event={event_id}"])


def _source_count(page) -> int:
    return int(re.search(r"\d+", page.locator("[data-panel=source-count]").inner_text()).group())


def test_sources_say_which_facts_stand_on_no_original_and_filter_by_kind(pages, host, data):
    quality = data.quality()
    page, _ = host.open(pages, "view=sources", "sources")
    summary = page.locator("[data-panel=source-quality]")
    assert f"{quality['on_originals']} of {quality['facts']} facts" in summary.inner_text()
    assert summary.locator("[data-fact]").count() == quality["no_original"]
    select = page.locator("[data-control=source-kind]")
    select.select_option("originals")
    assert _source_count(page) == int(data.sources["original"].sum())
    _address(page, ["kind=originals"])  # the filter is in the link
    select.select_option("others")
    assert _source_count(page) == int((~data.sources["original"]).sum())
    weak = {"Copy of an original", "Blog", "Aggregator", "Repost", "Content farm / AI summary"}
    assert set(_texts(page, ".sg-sources-table .sg-kind-tag")) <= weak
    # A marked event opens on the timeline with its reason beside its sources.
    marked = next(m for m in quality["marked"] if m["table"] == "events")
    summary.locator("summary").click()
    summary.locator(f"[data-fact='events:{marked['id']}'] button").click()
    page.wait_for_function(READY, arg="timeline")
    details = page.locator("[data-panel=event-details]")
    assert details.locator(".sg-no-original").inner_text().endswith(marked["reason"]["en"])
    # …and its badge says so beside its status.
    tag = details.locator(".sg-meta .sg-no-original-tag")
    assert tag.get_attribute("title") == marked["reason"]["en"]


def test_hidden_lanes_collapse(pages, host):
    page, _ = host.open(pages, "view=timeline", "timeline")
    lanes_before = page.locator(".sg-lane-label").count()
    page.locator(".sg-lane-toggle input").first.uncheck()
    assert page.locator(".sg-lane-label").count() == lanes_before - 1


# --- screen readers: charts named and linked to their tables, changes announced -------------
CHART_LINKS = """() => [...document.querySelectorAll('.sg-chart .sg-plot svg')].map((svg) => {
  const refs = (name) => (svg.getAttribute(name) || '').split(' ').filter(Boolean).map((id) => document.getElementById(id));
  const frame = svg.closest('.sg-chart');
  return {
    chart: frame.dataset.chart,
    role: svg.getAttribute('role'),
    name: refs('aria-labelledby').map((e) => e && e.textContent).join(' '),
    title: frame.querySelector('.sg-chart-title').textContent,
    description: refs('aria-describedby').map((e) => e && e.textContent).join(' '),
    rows: refs('aria-details').map((e) => e && e.querySelectorAll('tbody tr').length),
    plotted: frame.querySelectorAll('.sg-chart-table tbody tr').length,
  };
})"""
TABLES_BUILT = """() => [...document.querySelectorAll('.sg-view:not([hidden]) .sg-chart')]
  .filter((c) => !c.hidden).every((c) => c.querySelector('.sg-chart-table table'))"""


@pytest.mark.parametrize("view", ["funding", "timeline", "markets", "org"])
def test_every_chart_is_named_by_its_title_and_details_its_table(pages, host, view):
    """A screen reader meets each chart as a group named by its title and described by its
    subtitle, whose details (aria-details) are the table of the plotted rows."""
    page, _ = host.open(pages, f"view={view}", view)
    page.wait_for_function(TABLES_BUILT, polling=50)
    charts = page.evaluate(CHART_LINKS)
    assert charts
    for chart in charts:
        assert chart["role"] == "group", chart
        assert chart["name"] == chart["title"] != "", chart
        assert chart["rows"] == [chart["plotted"]] and chart["plotted"] > 0, chart
    assert any(chart["description"] for chart in charts)


LIVE = "document.querySelector('.sg-app').parentNode.querySelector('[aria-live]')"


def test_changes_are_said_in_the_drawings_one_live_region(pages, host):
    """Shares, views and the language are announced, politely, by one region per drawing, which
    stays while a change of language rebuilds the rest; focus stays on the language button."""
    page, _ = host.open(pages, "view=funding", "funding")
    regions = page.evaluate(
        "[...document.querySelector('.sg-app').parentNode.querySelectorAll('[aria-live]')]"
        ".map((e) => e.getAttribute('aria-live'))"
    )
    assert regions == ["polite"]
    page.evaluate(f"window.sgLive = {LIVE}")
    slider = page.locator(".sg-shares input[type=range]").first
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"{LIVE}.textContent.includes('Shares add up to 100')", polling=50)
    said = page.evaluate(f"{LIVE}.textContent")
    assert all(share in said for share in _texts(page, ".sg-shares output")), said
    assert slider.get_attribute("aria-valuetext") == _texts(page, ".sg-shares output")[0]
    page.locator(".sg-tab[data-view=timeline]").click()
    page.wait_for_function(f"{LIVE}.textContent === 'Showing Timeline'", polling=50)
    page.locator(".sg-lang [data-lang=ja]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"{LIVE}.textContent === '日本語で表示しています'", polling=50)
    assert page.evaluate(f"{LIVE} === window.sgLive && {LIVE}.lang === 'ja'")
    assert page.evaluate("document.activeElement.dataset.lang") == "ja"


# --- keyboard, theme, print, embed ------------------------------------------------------------
def test_keyboard_reaches_every_control_of_the_funding_view(pages, host):
    """Each control a reader can use on screen is marked (of a group of radio buttons, the one
    checked: the arrow keys move within it), then Tab is pressed until the focus has been round
    the page twice: every mark must have had it."""
    page, _ = host.open(pages, "view=funding", "funding")
    wanted = page.evaluate(
        """() => {
          const controls = [...document.querySelectorAll('.sg-view-funding :is(input, select, button),'
            + ' .sg-nav button')].filter((e) => e.offsetParent
              && !(e.getAttribute('role') === 'radio' && e.getAttribute('aria-checked') !== 'true'));
          controls.forEach((e, i) => { e.dataset.tabProbe = String(i); });
          return controls.length;
        }"""
    )
    assert wanted > 10
    reached = set()
    for _ in range(wanted * 2 + 20):
        page.keyboard.press("Tab")
        probe = page.evaluate("document.activeElement && document.activeElement.dataset.tabProbe")
        if probe is not None:
            reached.add(int(probe))
    assert reached == set(range(wanted))


def test_dark_theme_changes_page_and_charts_and_print_shows_no_controls(pages, host):
    page, _ = host.open(pages, "view=funding", "funding")
    light = page.evaluate("getComputedStyle(document.querySelector('.sg-app')).backgroundColor")
    page.locator(".sg-tools-button").click()
    page.locator("[data-action=theme]").click()
    dark = page.evaluate("getComputedStyle(document.querySelector('.sg-app')).backgroundColor")
    assert light != dark
    text = page.evaluate("getComputedStyle(document.querySelector('.sg-svg text')).fill")
    assert text != "rgb(27, 27, 27)"
    page.emulate_media(media="print")
    assert not page.locator(".sg-controls").first.is_visible()
    assert not page.locator(".sg-nav").is_visible()


def test_embed_shows_the_view_alone(pages, host):
    page, _ = host.open(pages, "view=markets&embed=1", "markets")
    assert page.locator(".sg-nav").count() == 0
    assert page.locator(".sg-view-markets").is_visible()
    assert page.locator(".sg-full-link").get_attribute("href").count("embed") == 0


def test_the_embed_code_opens_the_view_alone(pages, host):
    page, _ = host.open(pages, "", "org")
    page.locator(".sg-tools-button").click()
    page.locator(".sg-embed-box summary").click()
    page.wait_for_function("document.querySelector('.sg-embed-code').value !== ''")
    code = page.locator(".sg-embed-code").input_value()
    src = re.search(r'src="([^"]+)"', code).group(1).replace("&quot;", '"')
    embedded, _ = open_page(pages, src)
    wait_ready(embedded, "org")
    assert embedded.locator(".sg-nav").count() == 0
    assert embedded.locator(".sg-full-link").count() == 1


def test_dataset_downloads(pages, host, data):
    page, _ = host.open(pages, "", "org")
    page.locator(".sg-tools-button").click()
    with page.expect_download() as download:
        page.locator("[data-action=dataset-json]").click()
    document = json.loads(download.value.path().read_text("utf-8"))
    assert len(document["sources"]) == len(data.sources)
    with page.expect_download() as download:
        page.locator("[data-action=dataset-csv]").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert files == csv_texts(data)  # written in the page, the same files as Python's


# --- hostile and broken data ------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_path(tmp_path_factory):
    from .hostile import hostile_dataset

    return hostile_dataset(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("view", VIEWS)
def test_hostile_text_stays_inert_in_both_hosts(pages, hostile_path, tmp_path_factory, view):
    from stargate_explainer.static_site import build_site

    out = tmp_path_factory.mktemp("hostile-site")
    build_site(load(hostile_path), out)
    hosts = [Host("static", (out / "index.html").as_uri())]
    with voila_server(data=hostile_path) as url:
        hosts.append(Host("live", url))
        for host in hosts:
            page, record = host.open(pages, f"view={view}", view)
            assert page.evaluate("window.__xss") is None
            assert page.locator(".sg-app img").count() == 0
            assert "<script>" in page.locator(f".sg-view-{view}").inner_text()
            assert record.errors == []


def test_broken_data_gives_the_error_panel_with_its_problems(pages, tmp_path):
    from stargate_explainer.page_model import build_for_file

    broken = tmp_path / "broken.yaml"
    broken.write_text((ROOT / "tests" / "bad_data" / "no_source.yaml").read_text("utf-8"))
    with voila_server(data=broken) as url:
        page, record = open_page(pages, url)
        page.wait_for_selector(".sg-error", timeout=90_000)
        shown = _texts(page, ".sg-error li code")
        assert shown == build_for_file(broken)["problems"]["items"]
        assert "データを読み込めませんでした" in page.locator(".sg-error h2").inner_text()
        assert record.errors == []


def test_python_reads_and_sets_the_view_state(pages):
    """A notebook observes the reader's view (a trait the page sets) and answers by setting the
    language and currency (traits Python sets): the page follows."""
    with voila_server(notebook=ROOT / "tests" / "data" / "python_drives_the_page.ipynb") as url:
        page, record = open_page(pages, url)
        wait_ready(page, "org")
        page.locator(".sg-tab[data-view=funding]").click()
        page.wait_for_function("document.querySelector('.sg-app').lang === 'ja'", timeout=30_000)
        wait_ready(page, "funding")
        assert page.locator("[data-currency=JPY]").get_attribute("aria-checked") == "true"
        assert all("円" in v for v in _bar_values(page, "funding-per-funder"))
        assert record.errors == []
