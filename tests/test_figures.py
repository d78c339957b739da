from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from stargate_explainer import figures, funding, load
from stargate_explainer.frames import Frames

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def frames():
    return Frames(load())


def _json(figure: go.Figure) -> str:
    return pio.to_json(figure, validate=False)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_org_chart_draws_every_node_and_edge_kind(frames, lang):
    figure = figures.org_chart(frames.org_nodes, frames.org_edges, lang, selected="softbank")
    node_ids = [
        i for trace in figure.data if trace.customdata is not None for i in trace.customdata
    ]
    assert sorted(node_ids) == sorted(frames.org_nodes["id"])
    legend = {trace.name for trace in figure.data if trace.showlegend is not False and trace.name}
    kinds = set(frames.org_edges["kind"])
    assert len(legend) == len(kinds)
    dashes = {trace.line.dash for trace in figure.data if trace.mode == "lines" and trace.name}
    assert len(dashes) == len(kinds), "each edge kind needs its own dash pattern"


def test_org_chart_marks_the_selected_node(frames):
    figure = figures.org_chart(frames.org_nodes, frames.org_edges, "en", selected="mgx")
    for trace in figure.data:
        if trace.customdata is not None and "mgx" in list(trace.customdata):
            index = list(trace.customdata).index("mgx")
            assert trace.marker.line.width[index] > 1


@pytest.mark.parametrize("currency,rate", [("USD", 1.0), ("JPY", 155.0)])
def test_funding_charts_plot_the_split(currency, rate):
    shares = {"a": 50.0, "b": 30.0, "c": 20.0}
    names = {"a": "A", "b": "B", "c": "C"}
    colours = dict(zip(shares, figures.PALETTE, strict=False))
    per_funder = figures.funding_per_funder(
        funding.amounts_per_funder(200, shares), names, colours, "en", currency, rate
    )
    assert list(per_funder.data[0].x) == pytest.approx([100 * rate, 60 * rate, 40 * rate])
    per_year = figures.funding_per_year(
        funding.amounts_per_year(200, shares, 100), names, colours, "ja", currency, rate
    )
    assert len(per_year.data) == 3
    assert sum(sum(trace.y) for trace in per_year.data) == pytest.approx(200 * rate)


def test_scale_and_gdp_charts_end_with_stargate(frames):
    scale = figures.scale_comparison(frames.programmes, 500, "en")
    assert scale.data[0].x[-1] == 500
    assert len(scale.data[0].x) == len(frames.programmes) + 1
    gdp = figures.gdp_share(frames.programmes, 0.36, "ja")
    assert gdp.data[0].x[-1] == 0.36


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_timeline_draws_planned_hollow_and_flags_doubtful(frames, lang):
    events = frames.timeline
    figure = figures.timeline(events, lang, sorted(set(events["lane"])))
    lane_traces = [t for t in figure.data if t.customdata is not None]
    assert sum(len(t.customdata) for t in lane_traces) == len(events)
    planned = {i for i, p in zip(events["id"], events["planned"], strict=True) if p}
    for trace in lane_traces:
        for event_id, symbol in zip(trace.customdata, trace.marker.symbol, strict=True):
            assert (symbol == "circle-open") == (event_id in planned)
    doubtful = (events["status"] == "unverified").sum()
    assert len(figure.data[-1].x) == doubtful


def test_market_moves_chart_plots_only_percent_moves(frames):
    day = frames.market_days[0]
    moves = frames.market_moves_on(day)
    figure = figures.market_moves(moves, "en")
    assert list(figure.data[0].customdata) == list(moves.loc[moves["unit"] == "pct", "id"])


def test_text_from_the_data_is_escaped():
    nodes = pd.DataFrame(
        [
            {
                "id": "a",
                "kind": "organisation",
                "group": "venture",
                "x": 0.0,
                "y": 0.0,
                "name_en": PAYLOAD,
                "name_ja": PAYLOAD,
                "role_en": PAYLOAD,
                "role_ja": PAYLOAD,
                "source_ids": ("s",),
            },
        ]
    )
    edges = pd.DataFrame(columns=["kind", "x0", "y0", "x1", "y1"])
    text = _json(figures.org_chart(nodes, edges, "en"))
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    events = pd.DataFrame(
        [
            {
                "id": "e",
                "date": pd.Timestamp("2025-01-21"),
                "date_precision": "day",
                "planned": False,
                "lane": "deal",
                "title_en": PAYLOAD,
                "summary_en": PAYLOAD,
                "status": "confirmed",
            }
        ]
    )
    text = _json(figures.timeline(events, "en", ["deal"]))
    assert "<script>" not in text and "<img" not in text


def test_timeline_draws_only_the_lanes_asked_for(frames):
    figure = figures.timeline(frames.timeline, "en", ["plan", "deal"])
    drawn = {
        event_id
        for trace in figure.data
        if trace.customdata is not None
        for event_id in trace.customdata
    }
    assert drawn == set(frames.timeline.query("lane in ['plan', 'deal']")["id"])
    assert json.loads(_json(figure))["layout"]["title"]["text"]


def _every_figure(frames: Frames, lang: str) -> list[go.Figure]:
    shares = dict.fromkeys(frames.funders, 100 / len(frames.funders))
    names = {f: f for f in frames.funders}
    colours = dict(zip(frames.funders, figures.PALETTE, strict=False))
    return [
        figures.org_chart(frames.org_nodes, frames.org_edges, lang, "stargate"),
        figures.funding_per_funder(funding.amounts_per_funder(500, shares), names, colours, lang),
        figures.funding_per_year(funding.amounts_per_year(500, shares, 100), names, colours, lang),
        figures.scale_comparison(frames.programmes, 500, lang),
        figures.gdp_share(frames.programmes, 0.4, lang),
        figures.timeline(frames.timeline, lang, sorted(set(frames.timeline["lane"]))),
        figures.market_moves(frames.market_moves_on(frames.market_days[0]), lang),
    ]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_figure_passes_plotly_validation(frames, lang):
    """Figures are built without plotly's validation for speed; here plotly checks them all."""
    for figure in _every_figure(frames, lang):
        go.Figure(json.loads(_json(figure)))  # raises on any invalid property


def test_axis_titles_are_objects_plotly_js_draws():
    """plotly.js 3+ ignores a bare string as an axis title; the unit must travel as {text}."""
    from stargate_explainer import charts, load
    from stargate_explainer.frames import Frames

    frames = Frames(load())
    for chart in charts.view_charts(frames, "funding", "ja")[:3]:
        layout = chart.figure.to_plotly_json()["layout"]
        titled = [axis for axis in ("xaxis", "yaxis") if "title" in layout.get(axis, {})]
        assert titled, chart.key
        for axis in titled:
            assert layout[axis]["title"]["text"].startswith("10億"), chart.key
