"""The view state: what a share link carries and what the dashboard widget's traits hold.

The runtime (`static/runtime/rules.js`) reads and writes links in the browser; this module is
the same grammar for Python users (build or read a link in a script) and the rule the widget
applies to every value a page sends to the kernel. `tests/test_parity.py` runs both on the same
cases. Only values that differ from the defaults are written, so links stay short.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote_plus

from .i18n import DEFAULT_LANGUAGE, LANGUAGES, round_half_up

VIEWS = ("org", "funding", "timeline", "markets", "claims", "sources")
DEFAULT_VIEW = "org"
SHARE_DIGITS = 2  # shares travel in links with this many decimals, so links restore them exactly
MAX_FIELDS = 32

# ASCII only, as in rules.js: Python's \d would also accept digits of other scripts.
KEY = re.compile(r"[a-z0-9][a-z0-9_.-]{0,79}")
CURRENCY = re.compile(r"[A-Z]{3}")
MONTH = re.compile(r"(19|20|21)[0-9][0-9]-(0[1-9]|1[0-2])")
NUMBER = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})?")
# What rules.js leaves unescaped: encodeURIComponent's set, plus "," and ":".
_LINK_SAFE = ",:-_.!~*()'"


@dataclass(frozen=True)
class ViewState:
    """What a reader sees. Empty values mean "the view's default" (the first preset, the
    announced total, 2024–2026 on the timeline, every lane); the runtime resolves them against
    the data. This class knows the shape of a link, not the dataset."""

    view: str = DEFAULT_VIEW
    lang: str = DEFAULT_LANGUAGE
    currency: str = "USD"
    preset: str = ""
    split: dict[str, float] | None = None
    total: float | None = None
    start: str = ""  # `from` in a link
    end: str = ""  # `to` in a link
    lanes: tuple[str, ...] | None = None
    node: str = ""
    event: str = ""
    embed: bool = field(default=False)

    @classmethod
    def from_query(cls, query: str | None) -> ViewState:
        """Malformed values fall back to the defaults: a link with a typo still opens."""
        values: dict[str, str] = {}
        parts = [part for part in (query or "").lstrip("?#").split("&") if part]
        if len(parts) > MAX_FIELDS:
            return cls()
        for part in parts:
            name, _, value = part.partition("=")
            name = unquote_plus(name)
            values.setdefault(name, unquote_plus(value))

        def matching(name: str, pattern: re.Pattern) -> str:
            value = values.get(name, "")
            return value if pattern.fullmatch(value) else ""

        lanes = values.get("lanes")
        total = matching("total", NUMBER)
        return cls(
            view=values.get("view") if values.get("view") in VIEWS else DEFAULT_VIEW,
            lang=values.get("lang") if values.get("lang") in LANGUAGES else DEFAULT_LANGUAGE,
            currency=matching("currency", CURRENCY) or "USD",
            preset=matching("preset", KEY),
            split=_parse_split(values.get("split", "")),
            total=float(total) if total else None,
            start=matching("from", MONTH),
            end=matching("to", MONTH),
            lanes=None
            if lanes is None
            else tuple(lane for lane in lanes.split(",") if KEY.fullmatch(lane)),
            node=matching("node", KEY),
            event=matching("event", KEY),
            embed=values.get("embed") == "1",
        )

    def to_query(self) -> str:
        parts = []
        if self.view != DEFAULT_VIEW:
            parts.append(("view", self.view))
        if self.lang != DEFAULT_LANGUAGE:
            parts.append(("lang", self.lang))
        if self.currency != "USD":
            parts.append(("currency", self.currency))
        if self.preset:
            parts.append(("preset", self.preset))
        if self.split:
            parts.append(
                ("split", ",".join(f"{k}:{link_number(v)}" for k, v in self.split.items()))
            )
        if self.total is not None:
            parts.append(("total", link_number(self.total)))
        if self.start:
            parts.append(("from", self.start))
        if self.end:
            parts.append(("to", self.end))
        if self.lanes is not None:
            parts.append(("lanes", ",".join(self.lanes)))
        if self.node:
            parts.append(("node", self.node))
        if self.event:
            parts.append(("event", self.event))
        if self.embed:
            parts.append(("embed", "1"))
        return "&".join(f"{name}={quote(value, safe=_LINK_SAFE)}" for name, value in parts)


def link_number(value: float) -> str:
    """Shortest text for a share or total rounded to SHARE_DIGITS ("40", "33.33")."""
    return f"{round_half_up(value, SHARE_DIGITS):.{SHARE_DIGITS}f}".rstrip("0").rstrip(".")


def _parse_split(text: str) -> dict[str, float] | None:
    """`openai:40,softbank:40` as a mapping; the whole split is dropped if any part is malformed
    or a funder repeats, since half a split is not what the sender saw."""
    if not text:
        return None
    split: dict[str, float] = {}
    for part in text.split(","):
        key, colon, number = part.partition(":")
        if not colon or not KEY.fullmatch(key) or not NUMBER.fullmatch(number) or key in split:
            return None
        split[key] = float(number)
    return split


# --- what a page may send to the widget's traits ---------------------------------------------
TRAITS = {
    "view": "view",
    "lang": "lang",
    "currency": "currency",
    "preset": "preset",
    "split": "split",
    "total": "total",
    "date_from": "start",
    "date_to": "end",
    "lanes": "lanes",
    "node": "node",
    "event": "event",
    "embed": "embed",
}


def coerce_trait(name: str, value: Any) -> tuple[bool, Any]:
    """Whether a value a page sent for trait `name` is acceptable, and the value to keep. A
    malformed value (wrong type, NaN, too long, a deep structure) is refused, never raised."""
    if name in ("view", "lang"):
        allowed = VIEWS if name == "view" else LANGUAGES
        return (value in allowed, value) if isinstance(value, str) else (False, None)
    if name in ("currency", "preset", "node", "event", "date_from", "date_to"):
        if not isinstance(value, str):
            return False, None
        if name == "currency":
            return bool(CURRENCY.fullmatch(value)), value
        pattern = MONTH if name.startswith("date_") else KEY
        return value == "" or bool(pattern.fullmatch(value)), value
    if name == "total":
        if value is None:
            return True, None
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return (ok and math.isfinite(value) and 0 <= value <= 1e6), value
    if name == "split":
        if value is None:
            return True, None
        if not isinstance(value, dict) or len(value) > 16:
            return False, None
        ok = all(
            isinstance(k, str)
            and KEY.fullmatch(k)
            and isinstance(v, int | float)
            and not isinstance(v, bool)
            and math.isfinite(v)
            and 0 <= v <= 100
            for k, v in value.items()
        )
        return ok, ({k: float(v) for k, v in value.items()} if ok else None)
    if name == "lanes":
        if value is None:
            return True, None
        ok = isinstance(value, list) and len(value) <= 16
        ok = ok and all(isinstance(v, str) and KEY.fullmatch(v) for v in value)
        return ok, (list(value) if ok else None)
    if name == "embed":
        return isinstance(value, bool), value
    return False, None
