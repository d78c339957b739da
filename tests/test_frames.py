from __future__ import annotations

import pandas as pd
import pytest

from stargate_explainer import load
from stargate_explainer.frames import Frames, cited, worst_status


@pytest.fixture(scope="module")
def frames():
    return Frames(load())


def test_funders_are_the_equity_funders_of_the_venture(frames):
    equity = frames.dataset.commitments.query("kind == 'equity' and to_id == 'stargate'")
    assert set(frames.funders) == set(equity["org_id"])


def test_reported_presets_are_computed_from_sourced_amounts(frames):
    reported = [p for p in frames.presets if p.key != "equal"]
    assert reported
    commitments = frames.dataset.commitments.set_index("id")
    for preset in reported:
        assert sum(preset.shares.values()) == pytest.approx(100)
        assert set(preset.shares) == set(frames.funders)
        for funder, amount in preset.amounts_usd_bn.items():
            equity = commitments[
                (commitments["org_id"] == funder) & (commitments["kind"] == "equity")
            ]
            assert amount in set(equity["amount_usd_bn"])
        assert preset.source_ids and preset.status in {"reported", "confirmed"}
    assert frames.presets[-1].key == "equal"


def test_fx_uses_the_rate_nearest_the_announcement(frames):
    for currency in frames.currencies[1:]:
        choice = frames.fx(currency)
        rates = frames.dataset.fx.query("quote == @currency")
        gaps = (rates["date"] - frames.announcement["date"]).abs()
        assert choice.date == rates.loc[gaps.idxmin(), "date"]
        assert choice.source_ids
    assert frames.fx("USD").rate == 1.0


def test_org_graph_places_every_commitment_end(frames):
    nodes = frames.org_nodes
    assert nodes["id"].is_unique
    ids = set(nodes["id"])
    commitments = frames.dataset.commitments
    assert set(commitments["org_id"]) | set(commitments["to_id"]) <= ids
    edges = frames.org_edges
    assert len(edges) == len(commitments)
    assert edges[["x0", "y0", "x1", "y1"]].notna().all().all()
    venture = nodes.set_index("id").loc["stargate"]
    assert (venture["x"], venture["y"]) == (0, 0)


def test_claim_threads_put_replies_after_what_they_answer(frames):
    order = [claim["id"] for claim, _ in frames.claim_threads]
    assert sorted(order) == sorted(frames.dataset.claims["id"])
    for claim, depth in frames.claim_threads:
        if isinstance(claim["replies_to"], str):
            assert order.index(claim["replies_to"]) < order.index(claim["id"])
            assert depth > 0


def test_market_moves_carry_their_publisher(frames):
    day = frames.market_days[0]
    moves = frames.market_moves_on(day)
    assert (moves["date"] == day).all()
    for move in moves.itertuples():
        assert move.publisher == frames.sources.loc[move.source_ids[0], "publisher"]


def test_worst_status_and_cited():
    assert worst_status(["confirmed", "unverified", "reported"]) == "unverified"
    assert worst_status([]) == "confirmed"
    assert cited([("a", "b")], pd.Series([("b", "c")])) == ("a", "b", "c")
