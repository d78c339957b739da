"""Rules that exist in both Python (for API users) and the runtime (for readers) give the same
answers on the same cases: the funding split, the link grammar and the formats of numbers, money
and dates in both languages. The JavaScript side runs in Chromium, from the joined runtime."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest

from stargate_explainer import funding, i18n, runtime, state

SHARES = [
    {"softbank": 40.0, "openai": 40.0, "oracle": 10.0, "mgx": 10.0},
    {"a": 100.0, "b": 0.0, "c": 0.0},
    {"a": 33.333333, "b": 33.333333, "c": 33.333334},
    {"a": 100 / 7, "b": 600 / 7},
    {"solo": 100.0},
]


@pytest.fixture(scope="module")
def js(browser):
    page = browser.new_page()
    page.set_content("<div></div>")
    page.add_script_tag(content=runtime.script_text())
    page.evaluate(
        "(key) => { window.__sg = stargateExplainer.runtimes[key].modules; }", runtime.key()
    )

    def call(module: str, function: str, *args):
        return page.evaluate(
            "([m, f, args]) => window.__sg[m][f](...args)", [module, function, list(args)]
        )

    yield call
    page.close()


def _close(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


@pytest.mark.parametrize("shares", SHARES)
@pytest.mark.parametrize("value", [0, 12.5, 33.3, 100, 140, -5])
def test_rebalance(js, shares, value):
    changed = next(iter(shares))
    assert _close(
        funding.rebalance(shares, changed, value), js("rules", "rebalance", shares, changed, value)
    )


@pytest.mark.parametrize("shares", SHARES + [{"a": 2.835, "b": 97.165}, {"a": 0.125, "b": 99.875}])
def test_rounded(js, shares):
    assert funding.rounded(shares) == js("rules", "rounded", shares)


@pytest.mark.parametrize("total", [100, 112.4, 112.5, 312, 313, 499, 500, 9999, -3])
def test_snap_total(js, total):
    assert funding.snap_total(total, 100, 500) == js("rules", "snapTotal", total, 100, 500)


@pytest.mark.parametrize("total", [60, 100, 250, 500])
def test_year_split(js, total):
    python = funding.per_year(total, SHARES[0], 100)
    assert _close(python, js("rules", "perYear", total, SHARES[0], 100))


PRESETS = [
    {"kind": "shares", "values": {"softbank": 40.0, "openai": 40.0}},
    {"kind": "shares", "values": {"softbank": 40.0, "openai": 40.0, "oracle": 10.0, "mgx": 10.0}},
    {"kind": "amounts", "values": {"softbank": 19.0, "openai": 19.0, "oracle": 7.0, "mgx": 7.0}},
    {"kind": "amounts", "values": {"softbank": 18.0, "openai": 18.0}},
    {"kind": "equal", "values": {"softbank": 25.0, "openai": 25.0, "oracle": 25.0, "mgx": 25.0}},
]
FUNDERS = ["softbank", "openai", "oracle", "mgx"]


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_shares(js, preset):
    assert _close(
        funding.preset_shares(preset, FUNDERS), js("rules", "presetShares", preset, FUNDERS)
    )


@pytest.mark.parametrize(
    "split",
    [
        {"softbank": 40, "openai": 40, "oracle": 10, "mgx": 10},
        {"softbank": 40, "openai": 40, "oracle": 10, "mgx": 10.04},
        {"softbank": 40, "openai": 40, "oracle": 10, "mgx": 10.06},
        {"softbank": 40, "openai": 40, "oracle": 20},
        {"softbank": 140, "openai": -40, "oracle": 0, "mgx": 0},
        {"softbank": 25, "openai": 25, "oracle": 25, "other": 25},
        [25, 25, 25, 25],
        None,
    ],
)
def test_accepted_split(js, split):
    assert funding.accepted_split(split, FUNDERS) == js("rules", "acceptedSplit", split, FUNDERS)


# --- links -------------------------------------------------------------------------------------
QUERIES = [
    "",
    "view=funding&lang=ja&currency=JPY&preset=shares-2025-01-22&total=300",
    "?split=openai:26.67,softbank:44.44,mgx:8.89,oracle:20&from=2025-01&to=2025-12",
    "#lanes=deal,site&node=oracle&event=stargate-announced&embed=1",
    "lanes=",
    "view=nope&lang=fr&currency=yen&total=1e9&from=2025-13&preset=Reported!",
    "split=openai:40,openai:60",
    "split=openai:４０,softbank:60&total=１０００",
    "split=openai:40,softbank",
    "lanes=deal,<x>,site",
    "view=%66unding&lang=j%61",
    "&".join(f"x{i}=1" for i in range(40)),
    "view=timeline&view=funding",
    "view=markets&day=2025-01-22",
    "day=2025-02-30&day=2025-01-22",
    "day=2025-1-22",
    "view=sources&kind=originals&q=reuters%20news",
    "kind=Wire&q=" + "x" * 101,
]


def _as_js(view_state: state.ViewState) -> dict:
    """The state as the runtime holds it: the same names, lists for tuples."""
    out = {}
    for field in dataclasses.fields(view_state):
        value = getattr(view_state, field.name)
        out[field.name] = list(value) if isinstance(value, tuple) else value
    return out


@pytest.mark.parametrize("query", QUERIES)
def test_link_parsing(js, query):
    assert _close(_as_js(state.ViewState.from_query(query)), js("rules", "parseLink", query))


@pytest.mark.parametrize("query", QUERIES)
def test_link_writing_leaves_the_defaults_out(js, query):
    parsed = state.ViewState.from_query(query)
    assert parsed.to_query() == js("rules", "writeLink", _as_js(parsed))


# --- formats -----------------------------------------------------------------------------------
NUMBERS = [0, 0.05, 0.125, 2.675, 19, 182.66, 1234.5, 99999.995, -2.5, -0.004]


@pytest.mark.parametrize("value", NUMBERS)
@pytest.mark.parametrize("digits", [0, 1, 2])
def test_numbers_and_percents(js, value, digits):
    assert i18n.format_number(value, digits) == js("i18n", "formatNumber", value, digits)
    assert i18n.format_percent(value, digits, True) == js(
        "i18n", "formatPercent", value, digits, True
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("currency,rate", [("USD", 1.0), ("JPY", 155.46), ("CNY", 7.2769)])
@pytest.mark.parametrize("usd_bn", [0.5, 7, 19, 100, 448, 500, 999.99, 1000, 1250, -3])
def test_money(js, usd_bn, lang, currency, rate):
    assert i18n.format_money(usd_bn, lang, currency, rate) == js(
        "i18n", "formatMoney", usd_bn, lang, currency, rate
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("precision", ["day", "month", "quarter", "year"])
@pytest.mark.parametrize("date", ["2025-01-21", "2024-12-01", "2026-07-01"])
def test_dates(js, date, lang, precision):
    python = i18n.format_date(dt.date.fromisoformat(date), lang, precision)
    assert python == js("i18n", "formatDate", date, lang, precision)


@pytest.mark.parametrize(
    "cell",
    [
        "plain",
        '=HYPERLINK("http://x","y")',
        "+1",
        "-2 apples",
        "@sum",
        "\tx",
        "\r=1",
        "a\rb",
        "a\r\nb",
        'say "hi", twice',
        "línea\nnueva",
        "",
    ],
)
def test_csv_cells_are_neutralised_alike(js, cell):
    import pandas as pd

    from stargate_explainer.data_export import csv_text

    # A second column: Python quotes an empty field when it is alone on its row.
    python = csv_text(pd.DataFrame({"c": [cell], "n": [1]})).split("\n", 1)[1].rstrip("\n")
    assert python == js("dom", "csvCell", cell) + ",1"


# --- the dataset's CSV files, written in the page from the page model -------------------------
@pytest.mark.parametrize(
    "value", [500.0, 18.5, 0.1, 0.30000000000000004, 1e16, 1.5e-05, 123456.789, 0.0001]
)
def test_floats_are_written_as_python_writes_them(js, value):
    assert js("dataset_csv", "pythonFloat", value) == repr(value)


@pytest.fixture(scope="module")
def page_js(browser):
    """The runtime with the real page model loaded, for rules that need the data."""
    from stargate_explainer.model_cache import model_text

    page = browser.new_page()
    page.set_content("<div></div>")
    page.add_script_tag(content=runtime.script_text())
    page.evaluate(
        "([key, model]) => { const m = stargateExplainer.runtimes[key].modules;"
        " window.__page = m.page.makePage(JSON.parse(model)); window.__csv = m.dataset_csv; }",
        [runtime.key(), model_text()],
    )
    yield page
    page.close()


def test_the_page_writes_the_dataset_csv_files_python_writes(page_js):
    from stargate_explainer import load
    from stargate_explainer.data_export import csv_texts

    python = csv_texts(load())
    page = page_js.evaluate("window.__csv.datasetFiles(window.__page)")
    assert page.keys() == python.keys()
    for name, text in python.items():
        assert page[name] == text, name
