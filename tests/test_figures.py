"""figures: pure plotly figures of the dataset for notebook users."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from stargate_explainer import figures, load
from stargate_explainer.page_model import ANNOUNCEMENT_EVENT_ID, build


@pytest.fixture(scope="module")
def data():
    return load()


def _validated(figure: go.Figure) -> go.Figure:
    """The figure again through plotly's own validators: an invalid property raises here."""
    return go.Figure(figure.to_dict())


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_reported_equity_adds_up_to_the_announced_total(data, lang):
    figure = _validated(figures.reported_equity(data, lang))
    announced = data.events.set_index("id").loc[ANNOUNCEMENT_EVENT_ID, "amount_usd_bn"]
    bars = figure.data
    rows = len(bars[0].y)
    assert rows >= 1
    for row in range(rows):
        assert sum(bar.x[row] for bar in bars) == pytest.approx(announced)
    assert bars[-1].marker.pattern.shape == "/"  # what was not disclosed is hatched


def test_reported_equity_draws_the_page_models_equity(data):
    """One computation: the figure's bars are the funding view's (page_model's equity)."""
    derived = build(data.document)["derived"]
    figure = figures.reported_equity(data)
    commitments = data.commitments.set_index("id")
    reports = derived["equity"]["amounts"]
    for row, report in enumerate(reports):
        drawn = {bar.name: bar.x[row] for bar in figure.data[:-1] if bar.x[row]}
        expected = {
            data.organisations.set_index("id").loc[commitments.loc[r, "org_id"], "name_en"]: (
                commitments.loc[r, "amount_usd_bn"]
            )
            for r in report["records"]
        }
        assert drawn == expected
    assert len(figure.data) == len(derived["funders"]) + 1


def test_timeline_draws_plans_hollow_and_every_event_once(data):
    figure = _validated(figures.timeline(data))
    symbols = [s for trace in figure.data for s in trace.marker.symbol]
    assert len(symbols) == len(data.events)
    assert symbols.count("circle-open") == int(data.events["planned"].sum())


def test_market_moves_has_one_bar_per_percent_figure_of_the_day(data):
    day = data.market_moves["date"].min()
    figure = _validated(figures.market_moves(data, day.date().isoformat(), "ja"))
    expected = data.market_moves[
        (data.market_moves["date"] == day) & (data.market_moves["unit"] == "pct")
    ]
    assert len(figure.data[0].y) == len(expected)
    assert all(label.endswith(")") for label in figure.data[0].y)


def test_text_from_the_data_is_escaped(data):
    hostile = data.organisations.copy()
    hostile.loc[hostile["id"] == "softbank", "name_en"] = "<b onmouseover=x>SB</b>"
    changed = data.__class__(**{**data.__dict__, "organisations": hostile})
    names = [bar.name for bar in figures.reported_equity(changed, "en").data]
    assert "&lt;b onmouseover=x&gt;SB&lt;/b&gt;" in names
    assert not any("<b" in name for name in names)
