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
