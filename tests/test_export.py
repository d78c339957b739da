"""The static site: built by nbconvert, opened from disk in Chromium with the network cut."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from stargate_explainer import i18n, load
from stargate_explainer.export import PLOTLY_JS, build_site, script_json
from stargate_explainer.funding import amounts_per_year, rebalance

from .browser import screenshot
from .hostile import hostile_dataset

EXPORTED = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    build_site(load(), out, EXPORTED)
    return out


def open_offline(browser, path, width=1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    record = {"blocked": [], "errors": [], "dialogs": []}

    def route(request_route):
        if request_route.request.url.startswith(("file:", "data:", "blob:")):
            request_route.continue_()
        else:
            record["blocked"].append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and record["errors"].append(m.text))
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.on("dialog", lambda d: (record["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    return page, record


def test_site_has_a_page_per_language_and_the_data(site):
    assert (site / "index.html").is_file() and (site / "ja" / "index.html").is_file()
    assert {p.name for p in (site / "data").iterdir()} >= {"events.csv", "stargate.json"}


@pytest.mark.parametrize("page,lang", [("index.html", "en"), ("ja/index.html", "ja")])
def test_page_metadata_and_self_containment(site, page, lang):
    html = (site / page).read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == lang
    assert soup.title.string.startswith(i18n.text("app.title", lang))
    meta = {
        tag.get("property") or tag.get("name"): tag.get("content") for tag in soup.find_all("meta")
    }
    assert meta["og:title"] and meta["og:description"] and meta["description"]
    assert meta["og:locale"] == ("ja_JP" if lang == "ja" else "en_GB")
    assert meta["dataset-date"] == load().document.meta.updated.isoformat()
    assert meta["export-date"] == EXPORTED.isoformat()
    assert html.count(PLOTLY_JS.read_text("utf-8")[:200]) == 1, (
        "plotly.js must be inlined exactly once"
    )
    assert all(not script.get("src") for script in soup.find_all("script")), "no external scripts"
    assert all(link.get("rel") == ["alternate"] for link in soup.find_all("link"))
    assert "require.js" not in html and "MathJax.js" not in html
    assert "@media print" in html


def test_pages_link_to_each_other(site):
    english = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser")
    japanese = BeautifulSoup((site / "ja" / "index.html").read_text("utf-8"), "html.parser")
    assert english.find("a", hreflang="ja")["href"] == "ja/index.html"
    assert japanese.find("a", hreflang="en")["href"] == "../index.html"


def test_script_json_cannot_close_its_script_element():
    text = script_json({"a": "</script><!-- & >"})
    assert "<" not in text and ">" not in text and "&" not in text


@pytest.mark.parametrize("page,lang", [("index.html", "en"), ("ja/index.html", "ja")])
def test_page_draws_every_chart_offline(browser, site, page, lang):
    tab, record = open_offline(browser, site / page)
    drawn = tab.evaluate(
        "[...document.querySelectorAll('.stargate-figure')].filter(e => e.querySelector('.main-svg')).length"
    )
    assert drawn == tab.locator(".stargate-figure").count() >= 7
    assert record["blocked"] == [] and record["errors"] == []
    assert tab.locator("h1").inner_text() == i18n.text("app.title", lang)
    assert tab.locator("#timeline h2").inner_text() == i18n.text("view.timeline", lang)
    links = tab.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    external = [
        href for href in links if not href.startswith(("#", "../", "ja/", "data/", "index.html"))
    ]
    assert external and all(href.startswith(("http://", "https://")) for href in external)
    screenshot(tab, f"site-{lang}")
    tab.close()


def test_funding_slider_changes_the_amounts_offline(browser, site):
    tab, record = open_offline(browser, site / "index.html")
    bars = tab.locator('[data-figure="funding-per-funder"] .bartext')
    before = bars.evaluate_all("els => els.map(e => e.textContent)")
    revision = int(tab.locator('[data-figure="funding-per-funder"]').get_attribute("data-revision"))
    tab.locator('[data-control="share"]').last.fill("60")
    tab.wait_for_function(
        "(r) => +document.querySelector('[data-figure=\"funding-per-funder\"]').dataset.revision > r",
        arg=revision,
    )
    after = bars.evaluate_all("els => els.map(e => e.textContent)")
    assert after != before and after[-1].endswith("(60.0%)")
    shares = tab.locator('[data-control="share"]').evaluate_all("els => els.map(e => +e.value)")
    assert sum(shares) == pytest.approx(100, abs=0.3)
    tab.locator('[data-control="currency"][value="JPY"]').check()
    tab.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure=\"funding-per-funder\"] .bartext')]"
        ".some(e => e.textContent.includes('¥'))"
    )
    assert record["errors"] == []
    tab.close()


def test_page_script_computes_what_the_package_computes(browser, site):
    """The split rule and money formats exist in Python and in site.js; they must agree."""
    tab, _ = open_offline(browser, site / "ja" / "index.html")
    shares = {"a": 40.0, "b": 40.0, "c": 10.0, "d": 10.0}
    for changed, value in [("c", 25), ("a", 0), ("d", 100), ("b", 12.5)]:
        got = tab.evaluate(
            "([s, c, v]) => window.stargateFunding.rebalance(s, c, v)", [shares, changed, value]
        )
        assert got == pytest.approx(rebalance(shares, changed, value))
    for total in (100, 250, 500):
        per_year = amounts_per_year(total, {"a": 100.0}, 100).groupby("year")["amount_usd_bn"].sum()
        got = tab.evaluate(
            "(t) => window.stargateFunding.yearTotals(t, 100, [2025, 2026, 2027, 2028])", total
        )
        assert got == pytest.approx(list(per_year))
    for usd_bn, currency, rate in [
        (19, "USD", 1.0),
        (500, "JPY", 155.46),
        (500, "CNY", 7.1696),
        (182.7, "USD", 1),
    ]:
        got = tab.evaluate(
            "([a, c, r]) => window.stargateFunding.formatMoney(a, c, r)", [usd_bn, currency, rate]
        )
        assert got == i18n.format_money(usd_bn, "ja", currency, rate)
    tab.close()


def test_hostile_text_exports_inert(browser, tmp_path):
    data = hostile_dataset(tmp_path)
    out = tmp_path / "site"
    build_site(load(data), out, EXPORTED)
    for page in ("index.html", "ja/index.html"):
        tab, record = open_offline(browser, out / page)
        assert tab.evaluate("window.__xss") is None
        assert record["dialogs"] == [] and record["blocked"] == []
        assert tab.locator("img[src=x]").count() == 0
        tab.locator('[data-control="org-select"]').select_option(index=2)
        assert tab.evaluate("window.__xss") is None
        tab.close()
