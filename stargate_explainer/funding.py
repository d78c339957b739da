"""The funding-split arithmetic: shares that always add up to 100 %, and amounts per funder and year.

Kept apart from the widgets so that the rule readers rely on ("move one share and the others
rebalance in proportion") is a pure function with its own tests.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

YEARS = (2025, 2026, 2027, 2028)
TOTAL_STEP = 25.0  # US$ billions between the total slider's stops


def round_half_up(value: float, digits: int) -> float:
    """Rounding as the page script's `Math.round` does it (Python's `round` goes to even), so
    the dashboard and the static site write the same share into a link."""
    factor = 10**digits
    return math.floor(value * factor + 0.5) / factor


def snap_total(total: float, low: float, high: float) -> float:
    """`total` on the slider's stops (`low` + a multiple of TOTAL_STEP) within [low, high]."""
    stops = round_half_up((total - low) / TOTAL_STEP, 0)
    return min(high, max(low, low + stops * TOTAL_STEP))


def rebalance(shares: Mapping[str, float], changed: str, value: float) -> dict[str, float]:
    """Set `changed` to `value` % and scale the other shares in proportion so the total is 100.

    When the others are all zero there is no proportion to keep, so the remainder is split
    equally among them.
    """
    value = min(100.0, max(0.0, float(value)))
    others = [name for name in shares if name != changed]
    if not others:  # a single funder holds everything, whatever was asked
        return {changed: 100.0}
    remainder = 100.0 - value
    other_total = sum(shares[name] for name in others)
    result = {changed: value}
    for name in others:
        if other_total > 0:
            result[name] = remainder * shares[name] / other_total
        else:
            result[name] = remainder / len(others)
    return {name: result[name] for name in shares}


def shares_from_amounts(amounts: Mapping[str, float]) -> dict[str, float]:
    total = sum(amounts.values())
    return {name: 100.0 * amount / total for name, amount in amounts.items()}


def amounts_per_funder(total_usd_bn: float, shares: Mapping[str, float]) -> pd.DataFrame:
    """Columns: funder, share_pct, amount_usd_bn."""
    return pd.DataFrame(
        [
            {"funder": name, "share_pct": share, "amount_usd_bn": total_usd_bn * share / 100}
            for name, share in shares.items()
        ]
    )


def amounts_per_year(
    total_usd_bn: float, shares: Mapping[str, float], initial_usd_bn: float
) -> pd.DataFrame:
    """Columns: year, funder, amount_usd_bn.

    An illustration, labelled as such in the views: the first year carries the announced
    initial deployment `initial_usd_bn` (or the whole total if smaller), the remaining years
    share the rest equally.
    """
    first = min(total_usd_bn, initial_usd_bn)
    later = (total_usd_bn - first) / (len(YEARS) - 1)
    rows = []
    for index, year in enumerate(YEARS):
        year_total = first if index == 0 else later
        for name, share in shares.items():
            rows.append({"year": year, "funder": name, "amount_usd_bn": year_total * share / 100})
    return pd.DataFrame(rows)


def rounded(shares: Mapping[str, float], digits: int = 2) -> dict[str, float]:
    """Shares rounded to `digits` decimals, the largest absorbing the rounding so the total
    stays exactly 100: the shares a link can carry, so a shared split reopens exactly."""
    result = {name: round_half_up(share, digits) for name, share in shares.items()}
    if result:
        largest = max(result, key=lambda name: result[name])
        others = sum(v for k, v in result.items() if k != largest)
        result[largest] = round_half_up(100.0 - others, digits)
    return result
