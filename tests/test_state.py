from __future__ import annotations

import pytest

from stargate_explainer.state import DEFAULT_VIEW, VIEWS, ViewState


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_query_round_trip(view, lang):
    state = ViewState(view, lang)
    assert ViewState.from_query(state.to_query()) == state
    assert ViewState.from_query("?" + state.to_query()) == state


@pytest.mark.parametrize("query", ["", "view=nope&lang=fr", "lang", "view=<script>", "%%%"])
def test_bad_queries_fall_back_to_defaults(query):
    assert ViewState.from_query(query) == ViewState(DEFAULT_VIEW, "en")


def test_partial_query_keeps_what_is_valid():
    assert ViewState.from_query("lang=ja&view=bogus") == ViewState(DEFAULT_VIEW, "ja")


FULL = ViewState(
    view="funding",
    lang="ja",
    currency="JPY",
    split=(("openai", 26.67), ("softbank", 44.44), ("mgx", 8.89), ("oracle", 20.0)),
    total=375.0,
    start="2025-01",
    end="2025-12",
    lanes=("deal", "site"),
    embed=True,
)


def test_every_field_survives_the_link():
    assert ViewState.from_query(FULL.to_query()) == FULL
    assert ViewState.from_query("#" + FULL.to_query()) == FULL


def test_defaults_are_left_out_of_the_link():
    assert ViewState(view="timeline").to_query() == "view=timeline&lang=en"


def test_no_lanes_differs_from_every_lane():
    none = ViewState(lanes=())
    assert "lanes=" in none.to_query()
    assert ViewState.from_query(none.to_query()).lanes == ()
    assert ViewState.from_query("view=timeline").lanes is None


@pytest.mark.parametrize(
    "query,field,default",
    [
        ("currency=yen", "currency", "USD"),
        ("split=openai:40,softbank", "split", ()),
        ("split=openai:40,<b>:60", "split", ()),
        ("total=-5", "total", None),
        ("total=1e9", "total", None),
        ("from=2025-13", "start", ""),
        ("to=9999-01", "end", ""),
        ("preset=Reported!", "preset", ""),
        ("embed=yes", "embed", False),
    ],
)
def test_malformed_fields_fall_back_one_by_one(query, field, default):
    state = ViewState.from_query(f"view=funding&lang=ja&{query}")
    assert getattr(state, field) == default
    assert (state.view, state.lang) == ("funding", "ja")


@pytest.mark.parametrize(
    "query", ["total=１０００", "split=openai:４０,softbank:60", "split=openai:10,openai:90"]
)
def test_links_site_js_would_refuse_are_refused_here_too(query):
    state = ViewState.from_query(query)
    assert state.total is None and state.split == ()


def test_shares_round_half_up_as_the_page_script_does():
    assert ViewState(split=(("a", 2.835), ("b", 0.125))).to_query().endswith("a:2.84,b:0.13")


def test_lanes_keep_only_wellformed_names():
    assert ViewState.from_query("lanes=deal,<x>,site").lanes == ("deal", "site")


def test_too_many_fields_fall_back_instead_of_failing():
    assert ViewState.from_query("&".join(f"x{i}=1" for i in range(100))) == ViewState()
