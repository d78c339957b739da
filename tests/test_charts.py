"""Each chart's rows are the values its figure plots, and its sources are those rows' sources."""

from __future__ import annotations

import json

import pytest

from stargate_explainer import charts, i18n, load
from stargate_explainer.frames import Frames, cited
from stargate_explainer.state import ViewState

from .test_widgets import values


@pytest.fixture(scope="module")
def frames():
    return Frames(load())


def _all_charts(frames, lang):
    for key in ("org", "funding", "timeline", "markets"):
        yield from charts.view_charts(frames, key, lang)
    for day in frames.market_days:
        yield charts.market_chart(frames, lang, day)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_chart_cites_exactly_its_rows_sources(frames, lang):
    for chart in _all_charts(frames, lang):
        assert not chart.rows.empty, chart.key
        assert chart.source_ids == cited(chart.rows["source_ids"])
        assert set(chart.source_ids) <= set(frames.sources.index), chart.key
        payload = charts.payload(frames, chart, lang)
        json.dumps(payload)  # the page script receives it as JSON
        assert set(payload["source_index"]) == set(chart.source_ids)
        assert [tuple(ids) for ids in payload["sources"]] == list(chart.rows["source_ids"])


def test_funding_rows_are_the_plotted_bars(frames):
    split = charts.split_for(frames, ViewState(currency="JPY"))
    per_funder, per_year, scale, gdp = charts.funding_charts(frames, "en", split)
    bars = values(per_funder.figure.to_plotly_json()["data"][0]["x"])
    assert list(per_funder.rows["amount_bn"]) == pytest.approx(bars)
    assert set(per_funder.rows["currency"]) == {"JPY"}
    stacked = [v for trace in per_year.figure.data for v in trace.y]
    assert sorted(per_year.rows["amount_bn"]) == pytest.approx(sorted(stacked))
    assert list(scale.rows["amount_usd_bn"]) == pytest.approx(list(scale.figure.data[0].x))
    assert list(gdp.rows["peak_gdp_share_pct"]) == pytest.approx(list(gdp.figure.data[0].x))


def test_a_reported_preset_cites_its_reports_and_a_custom_split_does_not(frames):
    preset = frames.presets[0]
    reported = charts.split_for(frames, ViewState(preset=preset.key))
    custom = charts.split_for(
        frames, ViewState(split=tuple((f, 100 / len(frames.funders)) for f in frames.funders))
    )
    assert custom.preset is None
    reported_ids = set(charts.funding_charts(frames, "en", reported)[0].source_ids)
    custom_ids = set(charts.funding_charts(frames, "en", custom)[0].source_ids)
    assert set(preset.source_ids) <= reported_ids
    assert not (set(preset.source_ids) - set(frames.announcement["source_ids"])) & custom_ids


@pytest.mark.parametrize(
    "state",
    [
        ViewState(split=(("openai", 50), ("softbank", 60))),  # not 100, and funders missing
        ViewState(split=(("nobody", 100),)),
        ViewState(preset="no-such-preset"),
        ViewState(total=1.0),
        ViewState(currency="EUR"),
    ],
)
def test_a_link_the_data_cannot_honour_opens_the_first_preset(frames, state):
    split = charts.split_for(frames, state)
    assert split.preset == frames.presets[0]
    assert split.total == float(frames.announcement["amount_usd_bn"])
    assert split.fx.currency == ("USD" if state.currency == "EUR" else state.currency)


def test_timeline_rows_follow_the_window(frames):
    state = ViewState(start="2025-01", end="2025-06", lanes=("deal",))
    (chart,) = charts.view_charts(frames, "timeline", "en", state)
    assert len(chart.rows) > 0
    assert chart.rows["date"].between("2025-01-01", "2025-06-30").all()
    assert set(chart.rows["lane"]) == {i18n.term("lane", "deal", "en")}
    plotted = sum(len(t.x) for t in chart.figure.data if t.customdata is not None)
    assert plotted == len(chart.rows)


def test_a_reversed_window_opens_the_whole_timeline(frames):
    window = charts.window_for(frames, ViewState(start="2026-01", end="2024-01"))
    assert (window.start, window.end) == (frames.months[0], frames.months[-1])


def test_status_note_appears_when_a_plotted_value_is_disputed(frames):
    disputed = next(
        d
        for d in frames.market_days
        if (frames.market_moves_on(d).query("unit == 'pct'")["status"] == "reported").any()
    )
    chart = charts.market_chart(frames, "en", disputed)
    assert chart.status == "reported"
    assert "reported" in charts.payload(frames, chart, "en")["warnings"]
    confirmed = next(
        c for c in charts.view_charts(frames, "funding", "en") if c.status == "confirmed"
    )
    assert charts.payload(frames, confirmed, "en")["warnings"] == {}


def test_normalised_drops_what_the_data_cannot_honour(frames):
    state = ViewState(
        currency="EUR", preset="nope", total=333, start="2099-12", end="1990-01", lanes=("x",)
    )
    tidy = charts.normalised(frames, state)
    assert (tidy.currency, tidy.preset, tidy.split) == ("USD", "", ())
    assert tidy.total == 325  # on the total slider's stops
    assert (tidy.start, tidy.end, tidy.lanes) == ("", "", ())
    assert charts.normalised(frames, tidy) == tidy
