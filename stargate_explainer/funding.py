"""The funding split's rules for Python users: shares that always add up to 100, the total's
stops, the illustrative year split, presets as shares, and which split a page accepts.

The runtime implements the same rules in `static/runtime/rules.js` (that is where readers use
them); `tests/test_parity.py` runs both on the same cases.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from .i18n import round_half_up
from .state import SHARE_DIGITS

YEARS = (2025, 2026, 2027, 2028)
TOTAL_STEP = 25.0  # US$ billions between the total slider's stops


def rebalance(shares: Mapping[str, float], changed: str, value: float) -> dict[str, float]:
    """Set `changed` to `value` % and scale the other shares in proportion so the total is 100.
    When the others are all zero the remainder is split equally among them."""
    value = min(100.0, max(0.0, float(value)))
    others = [name for name in shares if name != changed]
    if not others:  # a single funder holds everything, whatever was asked
        return {changed: 100.0}
    remainder = 100.0 - value
    other_total = sum(shares[name] for name in others)
    result = {}
    for name in shares:
        if name == changed:
            result[name] = value
        elif other_total > 0:
            result[name] = remainder * shares[name] / other_total
        else:
            result[name] = remainder / len(others)
    return result


def rounded(shares: Mapping[str, float], digits: int = SHARE_DIGITS) -> dict[str, float]:
    """Shares rounded to `digits` decimals, the largest absorbing the rounding so the total stays
    exactly 100: the shares a link carries, so a shared split reopens exactly."""
    result = {name: round_half_up(share, digits) for name, share in shares.items()}
    if result:
        largest = max(result, key=lambda name: result[name])
        others = sum(v for k, v in result.items() if k != largest)
        result[largest] = round_half_up(100.0 - others, digits)
    return result


def snap_total(total: float, low: float, high: float) -> float:
    """`total` on the slider's stops (`low` + a multiple of TOTAL_STEP) within [low, high]."""
    stops = round_half_up((total - low) / TOTAL_STEP, 0)
    return min(high, max(low, low + stops * TOTAL_STEP))


def per_year(total: float, shares: Mapping[str, float], initial: float) -> list[dict]:
    """The illustration's years: the first carries the announced initial deployment (or the whole
    total if smaller), the other years share the rest equally. Rows: year, funder, amount."""
    first = min(total, initial)
    later = (total - first) / (len(YEARS) - 1)
    return [
        {"year": year, "funder": funder, "amount": (first if index == 0 else later) * share / 100}
        for index, year in enumerate(YEARS)
        for funder, share in shares.items()
    ]


def preset_shares(preset: Mapping, funders: Sequence[str]) -> dict[str, float]:
    """A page model preset's values as shares of 100 (see `page_model._presets`): reported shares
    as reported, the unreported rest split equally among the funders without one; reported
    amounts as shares of their sum; equal shares as they are."""
    values = preset["values"]
    if preset["kind"] == "shares":
        reported = [f for f in funders if f in values]
        rest = max(0.0, 100 - sum(values[f] for f in reported))
        unreported = [f for f in funders if f not in values]
        return {
            f: values[f] if f in values else (rest / len(unreported) if unreported else 0.0)
            for f in funders
        }
    if preset["kind"] == "amounts":
        total = sum(values.get(f, 0.0) for f in funders)
        return {
            f: 100 * values.get(f, 0.0) / total if total > 0 else 100 / len(funders)
            for f in funders
        }
    return {f: values.get(f, 100 / len(funders)) for f in funders}


def accepted_split(split: object, funders: Sequence[str]) -> dict[str, float] | None:
    """A split a page can show: every funder named once, each 0–100, adding up to 100."""
    if not isinstance(split, dict) or sorted(split) != sorted(funders):
        return None
    values = [split[f] for f in funders]
    if not all(
        isinstance(v, int | float)
        and not isinstance(v, bool)
        and math.isfinite(v)
        and 0 <= v <= 100
        for v in values
    ):
        return None
    return {f: split[f] for f in funders} if abs(sum(values) - 100) < 0.05 else None
