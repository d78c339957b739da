from __future__ import annotations

import pytest

from stargate_explainer.funding import (
    YEARS,
    amounts_per_funder,
    amounts_per_year,
    rebalance,
    shares_from_amounts,
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


def test_shares_from_amounts():
    shares = shares_from_amounts({"a": 19, "b": 19, "c": 7, "d": 7})
    assert sum(shares.values()) == pytest.approx(100)
    assert shares["a"] == pytest.approx(100 * 19 / 52)


def test_amounts_per_funder_add_up_to_the_total():
    frame = amounts_per_funder(500, SHARES)
    assert frame["amount_usd_bn"].sum() == pytest.approx(500)
    assert frame.set_index("funder").loc["oracle", "amount_usd_bn"] == pytest.approx(50)


@pytest.mark.parametrize("total", [60, 100, 250, 500])
def test_amounts_per_year_start_with_the_initial_deployment(total):
    frame = amounts_per_year(total, SHARES, INITIAL)
    by_year = frame.groupby("year")["amount_usd_bn"].sum()
    assert list(by_year.index) == list(YEARS)
    assert by_year.sum() == pytest.approx(total)
    assert by_year.iloc[0] == pytest.approx(min(total, INITIAL))
    assert by_year.iloc[1] == pytest.approx(by_year.iloc[3])


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
