"""The dashboard's behaviour without a browser: widgets driven from Python as a reader would."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from stargate_explainer import load, panels
from stargate_explainer.frames import Frames
from stargate_explainer.state import VIEWS, ViewState
from stargate_explainer.widgets import Dashboard, FundingView, OrgView, TimelineView, dashboard

from .conftest import ROOT


def values(array) -> list:
    """Plotly's JSON sends numeric arrays base64-encoded; read them back."""
    if isinstance(array, dict):
        return list(np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]))
    return list(array)


@pytest.fixture(scope="module")
def frames():
    return Frames(load())


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_opens_in_both_languages(frames, view):
    app = Dashboard(frames, ViewState(view, "en"))
    assert app.views[view].narrative.value
    app.set_language("ja")
    assert app.nav.options[0][0] == "組織図"
    assert app.views[view].lang == "ja"


def test_switching_view_builds_it_once_in_the_current_language(frames):
    app = Dashboard(frames, ViewState("org", "ja"))
    app.nav.value = "timeline"
    assert set(app.views) == {"org", "timeline"}
    assert app.views["timeline"].lang == "ja"
    built = app.views["timeline"]
    app.nav.value = "org"
    app.nav.value = "timeline"
    assert app.views["timeline"] is built


def test_moving_a_share_rebalances_and_redraws(frames):
    view = FundingView(frames, "en")
    before = view.per_funder.revision
    funder = view.funders[-1]
    view.sliders[funder].value = 50
    assert sum(view.shares.values()) == pytest.approx(100)
    assert view.shares[funder] == pytest.approx(50)
    assert sum(s.value for s in view.sliders.values()) == pytest.approx(100, abs=0.2)
    assert view.preset.value == "custom"
    assert view.per_funder.revision == before + 1
    assert values(view.per_funder.figure["data"][0]["x"])[-1] == pytest.approx(
        view.total.value * 0.5
    )


def test_preset_and_currency_change_the_amounts(frames):
    view = FundingView(frames, "en")
    view.preset.value = "equal"
    assert set(round(v, 6) for v in view.shares.values()) == {100 / len(view.funders)}
    usd = values(view.per_funder.figure["data"][0]["x"])[0]
    view.currency.value = "JPY"
    assert values(view.per_funder.figure["data"][0]["x"])[0] == pytest.approx(
        usd * frames.fx("JPY").rate
    )
    assert "JPY" in view.fx_note.value


def test_selecting_an_org_shows_its_commitments_and_sources(frames):
    view = OrgView(frames, "en")
    view.picker.value = "oracle"
    assert 'data-node="oracle"' in view.details.value
    assert "https://" in view.details.value
    view._on_chart_click("mgx")
    assert view.picker.value == "mgx" and 'data-node="mgx"' in view.details.value


def test_timeline_filters_by_lane_and_shows_selected_sources(frames):
    view = TimelineView(frames, "en")
    view.lane_boxes["market"].value = False
    assert "market" not in set(view.visible()["lane"])
    event_id = view.visible().iloc[0]["id"]
    view.picker.value = event_id
    assert f'data-event="{event_id}"' in view.details.value


def test_bad_data_gives_the_error_panel():
    widget = dashboard(str(ROOT / "tests" / "bad_data" / "many_problems.yaml"), query="lang=ja")
    panel = widget.children[-1].value
    assert 'role="alert"' in panel and "claims[0].speaker_id" in panel


def test_valid_data_without_the_explainers_anchor_records_gets_a_panel(minimal_path):
    panel = dashboard(str(minimal_path)).children[-1].value
    assert 'role="alert"' in panel
    assert "the views need organisation &#x27;stargate&#x27;" in panel
    assert "stargate-announced" in panel


def test_unforeseen_failures_become_a_panel_not_a_traceback(monkeypatch):
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("stargate_explainer.widgets.Dashboard", broken)
    panel = dashboard(query="view=funding").children[-1].value
    assert "(dashboard)" in panel and "ZeroDivisionError" in panel


def test_funding_lists_only_funders_with_amounts_and_known_currencies(frames):
    equity = frames.equity_to_venture.dropna(subset=["amount_usd_bn"])
    assert set(frames.funders) == set(equity["org_id"])
    assert frames.currencies[0] == "USD"
    assert set(frames.currencies) <= {"USD", "JPY", "CNY"}


def test_equal_split_cites_no_equity_source_and_warns_of_nothing(frames):
    view = FundingView(frames, "en")
    view.preset.value = "equal"
    others = {
        *frames.fx("USD").source_ids,
        *frames.announcement["source_ids"],
        *frames.initial_deployment["source_ids"],
        *(i for ids in frames.programmes["source_ids"] for i in ids),
        *frames.latest_gdp["source_ids"],
    }
    equity_only = {i for ids in frames.equity_to_venture["source_ids"] for i in ids} - others
    assert equity_only, "the test needs an equity source cited nowhere else"

    def cited(chart):
        return {i for ids in chart["sources"] for i in ids}

    chart = view.per_funder.chart
    assert chart["warnings"] == {}
    assert not equity_only & cited(chart)
    view.preset.value = frames.presets[0].key
    assert equity_only & cited(view.per_funder.chart)


def test_a_view_says_what_it_is_where_widgets_cannot_be_drawn():
    from stargate_explainer.widgets import view

    bundle = view("claims")._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Interactive view")
    assert "application/vnd.jupyter.widget-view+json" in bundle


BAD_DATA = ROOT / "tests" / "bad_data"


@pytest.mark.parametrize("name", sorted(p.name for p in BAD_DATA.glob("*.yaml")))
def test_every_broken_file_gives_the_dashboard_a_readable_panel(name):
    """The served dashboard reports what `validate` reports, for every file of the corpus."""
    import json

    expected = json.loads((BAD_DATA / "expected.json").read_text("utf-8"))[name]
    panel = dashboard(str(BAD_DATA / name)).children[-1].value
    assert 'role="alert"' in panel and "Traceback" not in panel
    assert panels.escape(f"{BAD_DATA / name}:{expected[0]}") in panel


def test_the_share_link_follows_the_reader(frames):
    app = Dashboard(frames, ViewState(view="funding"))
    funding = app.views["funding"]
    funding.currency.value = "JPY"
    funding.sliders[funding.funders[-1]].value = 40
    state = ViewState.from_query(app.tools.query)
    assert state.currency == "JPY" and state.view == "funding"
    assert dict(state.split) == pytest.approx(funding.shares)
    app.nav.value = "timeline"
    timeline = app.views["timeline"]
    timeline.lane_boxes["deal"].value = False
    state = ViewState.from_query(app.tools.query)
    assert state.view == "timeline" and "deal" not in state.lanes
    assert state.currency == "JPY", "the funding part of the link stays while another view shows"


def test_a_link_reopens_the_same_charts(frames):
    app = Dashboard(frames, ViewState(view="funding"))
    funding = app.views["funding"]
    funding.currency.value = "CNY"
    funding.total.value = 300
    funding.sliders[funding.funders[0]].value = 20
    reopened = Dashboard(frames, ViewState.from_query(app.tools.query)).views["funding"]
    assert reopened.shares == funding.shares
    assert reopened.per_funder.chart["rows"] == funding.per_funder.chart["rows"]
    assert reopened.per_year.chart["rows"] == funding.per_year.chart["rows"]
    assert reopened.preset.value == "custom"


def test_embed_link_shows_the_view_without_the_chrome(frames):
    app = Dashboard(frames, ViewState(view="markets", embed=True))
    assert app.header not in app.root.children and app.nav not in app.root.children
    assert app.body in app.root.children


def test_a_redraw_sends_sources_only_when_new_ones_are_cited(frames):
    view = TimelineView(frames, "en")
    sent = view.chart.sources
    assert {i for ids in view.chart.chart["sources"] for i in ids} <= set(sent)
    view.lane_boxes["deal"].value = False  # fewer events: nothing new to send
    assert view.chart.sources is sent and "source_index" not in view.chart.chart
    view.set_language("ja")
    assert view.chart.sources is not sent
    assert set(view.chart.sources) == {i for ids in view.chart.chart["sources"] for i in ids}
