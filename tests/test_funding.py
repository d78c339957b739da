from __future__ import annotations

import pytest

from stargate_explainer.funding import (
    YEARS,
    accepted_split,
    per_year,
    preset_shares,
    rebalance,
    snap_total,
)

INITIAL = 100.0
SHARES = {"softbank": 40.0, "openai": 40.0, "oracle": 10.0, "mgx": 10.0}


@pytest.mark.parametrize(
    "changed,value", [("oracle", 20), ("softbank", 0), ("mgx", 100), ("openai", 33.3)]
)
def test_rebalance_keeps_the_total_at_100_and_the_others_in_proportion(changed, value):
    result = rebalance(SHARES, changed, value)
    assert sum(result.values()) == pytest.approx(100)
    assert result[changed] == pytest.approx(value)
    others = [name for name in SHARES if name != changed]
    first, second = others[0], others[1]
    if result[second]:
        assert result[first] / result[second] == pytest.approx(SHARES[first] / SHARES[second])


def test_rebalance_clamps_out_of_range_values():
    assert rebalance(SHARES, "oracle", 140)["oracle"] == 100
    assert rebalance(SHARES, "oracle", -5)["oracle"] == 0


def test_rebalance_splits_equally_when_the_others_are_all_zero():
    result = rebalance({"a": 100.0, "b": 0.0, "c": 0.0}, "a", 40)
    assert result == {"a": 40.0, "b": 30.0, "c": 30.0}


def test_rebalance_keeps_the_funder_order():
    assert list(rebalance(SHARES, "mgx", 50)) == list(SHARES)


def test_preset_shares_keep_reported_shares_and_split_the_rest():
    preset = {"kind": "shares", "values": {"softbank": 40.0, "openai": 40.0}}
    shares = preset_shares(preset, ["softbank", "openai", "oracle", "mgx"])
    assert shares == {"softbank": 40.0, "openai": 40.0, "oracle": 10.0, "mgx": 10.0}


def test_preset_amounts_become_shares_of_their_sum():
    preset = {"kind": "amounts", "values": {"a": 19.0, "b": 19.0, "c": 7.0, "d": 7.0}}
    shares = preset_shares(preset, ["a", "b", "c", "d"])
    assert sum(shares.values()) == pytest.approx(100)
    assert shares["a"] == pytest.approx(100 * 19 / 52)


@pytest.mark.parametrize("total", [60, 100, 250, 500])
def test_years_start_with_the_initial_deployment(total):
    rows = per_year(total, SHARES, INITIAL)
    by_year = {year: sum(r["amount"] for r in rows if r["year"] == year) for year in YEARS}
    assert sum(by_year.values()) == pytest.approx(total)
    assert by_year[YEARS[0]] == pytest.approx(min(total, INITIAL))
    assert by_year[YEARS[1]] == pytest.approx(by_year[YEARS[3]])


@pytest.mark.parametrize(
    "split,accepted",
    [
        ({"softbank": 40, "openai": 40, "oracle": 10, "mgx": 10}, True),
        ({"softbank": 40, "openai": 40, "oracle": 10}, False),
        ({"softbank": 40, "openai": 40, "oracle": 10, "mgx": 11}, False),
        ({"softbank": 140, "openai": -40, "oracle": 0, "mgx": 0}, False),
        ({"softbank": True, "openai": 40, "oracle": 10, "mgx": 49}, False),
        ([40, 40, 10, 10], False),
    ],
)
def test_accepted_splits(split, accepted):
    assert (accepted_split(split, ["softbank", "openai", "oracle", "mgx"]) is not None) is accepted


def test_totals_snap_to_the_sliders_stops():
    assert snap_total(312, 100, 500) == 300
    assert snap_total(313, 100, 500) == 325
    assert snap_total(9999, 100, 500) == 500


def test_a_single_funder_always_holds_everything():
    assert rebalance({"a": 100.0}, "a", 40) == {"a": 100.0}


@pytest.mark.parametrize(
    "shares",
    [
        {"a": 33.333333, "b": 33.333333, "c": 33.333334},
        {"a": 100 / 7, "b": 600 / 7},
        {"a": 12.345, "b": 40.004, "c": 47.651},
    ],
)
def test_rounded_shares_add_up_to_exactly_100_with_two_decimals(shares):
    from stargate_explainer.funding import rounded

    result = rounded(shares)
    assert sum(result.values()) == pytest.approx(100, abs=1e-9)
    assert all(round(v, 2) == v for v in result.values())
    assert all(abs(result[k] - shares[k]) <= 0.02 for k in shares)
