from __future__ import annotations

import pytest

from stargate_explainer.state import DEFAULT_VIEW, VIEWS, ViewState, coerce_trait


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_query_round_trip(view, lang):
    state = ViewState(view=view, lang=lang)
    assert ViewState.from_query(state.to_query()) == state
    assert ViewState.from_query("?" + state.to_query()) == state


@pytest.mark.parametrize("query", ["", "view=nope&lang=fr", "lang", "view=<script>", "%%%"])
def test_bad_queries_fall_back_to_defaults(query):
    assert ViewState.from_query(query) == ViewState(view=DEFAULT_VIEW, lang="en")


def test_partial_query_keeps_what_is_valid():
    assert ViewState.from_query("lang=ja&view=bogus") == ViewState(view=DEFAULT_VIEW, lang="ja")


FULL = ViewState(
    view="funding",
    lang="ja",
    currency="JPY",
    split={"openai": 26.67, "softbank": 44.44, "mgx": 8.89, "oracle": 20.0},
    total=375.0,
    date_from="2025-01",
    date_to="2025-12",
    lanes=("deal", "site"),
    node="oracle",
    event="stargate-announced",
    market_day="2025-01-22",
    embed=True,
)


def test_every_field_survives_the_link():
    assert ViewState.from_query(FULL.to_query()) == FULL
    assert ViewState.from_query("#" + FULL.to_query()) == FULL


def test_defaults_are_left_out_of_the_link():
    assert ViewState(view="timeline").to_query() == "view=timeline"
    assert ViewState().to_query() == ""


def test_no_lanes_differs_from_every_lane():
    none = ViewState(lanes=())
    assert "lanes=" in none.to_query()
    assert ViewState.from_query(none.to_query()).lanes == ()
    assert ViewState.from_query("view=timeline").lanes is None


@pytest.mark.parametrize(
    "query,field,default",
    [
        ("currency=yen", "currency", "USD"),
        ("split=openai:40,softbank", "split", None),
        ("split=openai:40,<b>:60", "split", None),
        ("total=-5", "total", None),
        ("total=1e9", "total", None),
        ("from=2025-13", "date_from", ""),
        ("to=9999-01", "date_to", ""),
        ("day=2025-01-32", "market_day", ""),
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
    assert state.total is None and state.split is None


def test_shares_round_half_up_as_the_page_script_does():
    assert ViewState(split={"a": 2.835, "b": 0.125}).to_query().endswith("a:2.84,b:0.13")


def test_lanes_keep_only_wellformed_names():
    assert ViewState.from_query("lanes=deal,<x>,site").lanes == ("deal", "site")


def test_too_many_fields_fall_back_instead_of_failing():
    assert ViewState.from_query("&".join(f"x{i}=1" for i in range(100))) == ViewState()


@pytest.mark.parametrize(
    "trait,value,ok",
    [
        ("view", "funding", True),
        ("view", "admin", False),
        ("view", ["org"], False),
        ("lang", "ja", True),
        ("lang", None, False),
        ("currency", "JPY", True),
        ("currency", "", False),
        ("preset", "", True),
        ("preset", "x" * 200, False),
        ("total", 300.0, True),
        ("total", None, True),
        ("total", float("nan"), False),
        ("total", float("inf"), False),
        ("total", True, False),
        ("total", "300", False),
        ("split", {"openai": 40, "softbank": 60}, True),
        ("split", {"openai": float("nan")}, False),
        ("split", [["openai", 40]], False),
        ("split", {f"k{i}": 1 for i in range(50)}, False),
        ("date_from", "2025-01", True),
        ("date_from", "2025-13", False),
        ("lanes", ["plan", "deal"], True),
        ("lanes", [[["deep"]]], False),
        ("lanes", "plan", False),
        ("embed", True, True),
        ("embed", 1, False),
        ("market_day", "2025-01-22", True),
        ("market_day", "2025-1-22", False),
        ("page_key", "x", False),
        ("_esm", "alert(1)", False),
    ],
)
def test_only_wellformed_values_from_a_page_reach_a_trait(trait, value, ok):
    accepted, _ = coerce_trait(trait, value)
    assert accepted is ok


def test_a_deeply_nested_value_is_refused_without_recursing():
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert coerce_trait("lanes", deep) == (False, None)
    assert coerce_trait("split", {"a": deep}) == (False, None)


def test_every_field_has_a_link_name_of_its_own_and_a_wellformed_default():
    from stargate_explainer.state import FIELDS

    assert len({field.link for field in FIELDS}) == len(FIELDS)
    for field in FIELDS:
        ok, _ = coerce_trait(field.name, field.default)
        assert ok, field.name
