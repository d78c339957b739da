"""The view state, declared once: what a reader sees, what a share link carries and what the
dashboard widget's traits hold.

`FIELDS` is the one declaration of the state: each field's name (the widget's trait and the
runtime's state key), its name in a link, its kind (which decides what a well-formed value is),
its default and help text. Everything else is built from it: `ViewState` and its link grammar
here, the widget's traits (`widget.py`), the check of every value a page sends to the kernel
(`coerce_trait`), and the runtime's own state and link grammar (`runtime.py` hands `FIELDS` to
`static/runtime/rules.js`). `tests/test_parity.py` runs both link grammars on the same cases.
Only values that differ from the defaults are written into a link, so links stay short.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote_plus

from .i18n import DEFAULT_LANGUAGE, LANGUAGES, round_half_up

VIEWS = ("org", "funding", "timeline", "markets", "claims", "sources")
DEFAULT_VIEW = "org"
SHARE_DIGITS = 2  # shares travel in links with this many decimals, so links restore them exactly
MAX_FIELDS = 32  # a link with more fields than this is not one of ours: it opens the defaults
MAX_ITEMS = 16  # most entries a split or a list of keys may hold
MAX_TEXT = 100  # longest text a text field holds

# ASCII only, as in rules.js: Python's \d would also accept digits of other scripts.
PATTERNS = {
    "key": r"[a-z0-9][a-z0-9_.-]{0,79}",
    "code": r"[A-Z]{3}",
    "month": r"(19|20|21)[0-9][0-9]-(0[1-9]|1[0-2])",
    "day": r"(19|20|21)[0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])",
    "number": r"[0-9]{1,6}(\.[0-9]{1,6})?",
}
KEY, CODE, MONTH, DAY, NUMBER = (re.compile(PATTERNS[name]) for name in PATTERNS)
# What rules.js leaves unescaped: encodeURIComponent's set, plus "," and ":".
_LINK_SAFE = ",:-_.!~*()'"


@dataclass(frozen=True)
class Field:
    """One piece of the view state.

    `kind` says what a well-formed value is, in a link and from a page:
    - `choice`: one of `choices`;
    - `code`, `key`, `month`, `day`: text matching that pattern of `PATTERNS`, or "" (none);
    - `number`: a number 0–`maximum` (None: the view's default);
    - `split`: a mapping of keys to shares 0–100 (None: a preset's shares);
    - `keys`: a list of keys (None: all of them; an empty list: none);
    - `flag`: true or false;
    - `text`: any text up to `MAX_TEXT` characters ("" means none).

    `continuous`: set by a slider, so the page's address replaces its history entry as it moves
    instead of adding one (back and forward step through the reader's other choices).
    """

    name: str
    link: str
    kind: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    maximum: float = 1e6
    continuous: bool = False


FIELDS: tuple[Field, ...] = (
    Field("view", "view", "choice", DEFAULT_VIEW, "The view shown.", VIEWS),
    Field("lang", "lang", "choice", DEFAULT_LANGUAGE, "The language of the page.", LANGUAGES),
    Field("currency", "currency", "code", "USD", "Currency of the 'what if' amounts."),
    Field("preset", "preset", "key", "", "Key of the funding preset; empty for the first."),
    Field(
        "split",
        "split",
        "split",
        None,
        "A reader's own split: funder id → share %.",
        continuous=True,
    ),
    Field("total", "total", "number", None, "Illustrative total in US$ billions.", continuous=True),
    Field(
        "date_from", "from", "month", "", "First month of the timeline, YYYY-MM.", continuous=True
    ),
    Field("date_to", "to", "month", "", "Last month of the timeline, YYYY-MM.", continuous=True),
    Field("lanes", "lanes", "keys", None, "Timeline lanes shown; empty means every lane."),
    Field("node", "node", "key", "", "Selected organisation of the org chart."),
    Field("event", "event", "key", "", "Selected event of the timeline."),
    Field("market_day", "day", "day", "", "Trading day of the markets view, YYYY-MM-DD."),
    Field(
        "source_kind",
        "kind",
        "key",
        "",
        "Sources view: one kind of source, 'originals' or 'others'; empty for all.",
    ),
    Field("source_query", "q", "text", "", "Sources view: the text filter.", continuous=True),
    Field("embed", "embed", "flag", False, "Show the current view alone."),
)
FIELD = {field.name: field for field in FIELDS}
TRAITS = tuple(FIELD)


def declaration() -> dict:
    """The state's declaration as JSON-ready data, for the runtime's `fields.js` (`runtime.py`)."""
    return {
        "FIELDS": [dataclasses.asdict(field) for field in FIELDS],
        "PATTERNS": PATTERNS,
        "LIMITS": {
            "max_fields": MAX_FIELDS,
            "max_items": MAX_ITEMS,
            "max_text": MAX_TEXT,
            "share_digits": SHARE_DIGITS,
        },
    }


def _text(field: Field, value: str) -> bool:
    return bool(re.fullmatch(PATTERNS[field.kind], value))


def parse_value(field: Field, text: str | None) -> Any:
    """The value a link's `text` gives `field` (None: absent); the default when malformed, so a
    link with a typo still opens."""
    if text is None:
        return field.default
    if field.kind == "choice":
        return text if text in field.choices else field.default
    if field.kind in ("code", "key", "month", "day"):
        return text if _text(field, text) else field.default
    if field.kind == "number":
        return float(text) if NUMBER.fullmatch(text) else field.default
    if field.kind == "split":
        return _parse_split(text)
    if field.kind == "keys":
        return tuple(key for key in text.split(",") if KEY.fullmatch(key))
    if field.kind == "text":
        return text if len(text) <= MAX_TEXT else field.default
    return text == "1"  # flag


def link_text(field: Field, value: Any) -> str | None:
    """`value` as a link writes it; None when it is the default (left out of links)."""
    if value == field.default or (
        field.kind in ("code", "key", "month", "day", "text") and not value
    ):
        return None
    if field.kind == "split":
        return ",".join(f"{k}:{link_number(v)}" for k, v in value.items())
    if field.kind == "number":
        return link_number(value)
    if field.kind == "keys":
        return ",".join(value)
    if field.kind == "flag":
        return "1"
    return value


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


def _from_query(cls, query: str | None):
    """The state a link carries; malformed values fall back to the defaults one by one."""
    values: dict[str, str] = {}
    parts = [part for part in (query or "").lstrip("?#").split("&") if part]
    if len(parts) > MAX_FIELDS:
        return cls()
    for part in parts:
        name, _, value = part.partition("=")
        values.setdefault(unquote_plus(name), unquote_plus(value))
    return cls(**{field.name: parse_value(field, values.get(field.link)) for field in FIELDS})


def _to_query(self) -> str:
    """The link text of this state (no leading `?` or `#`)."""
    parts = []
    for field in FIELDS:
        text = link_text(field, getattr(self, field.name))
        if text is not None:
            parts.append(f"{field.link}={quote(text, safe=_LINK_SAFE)}")
    return "&".join(parts)


# A frozen dataclass with one attribute per field, in `FIELDS` order, with its default: what a
# reader sees. Empty values mean "the view's default" (the first preset, the announced total,
# 2024–2026 on the timeline, every lane, the first trading day after the announcement); the
# runtime resolves them against the data. This class knows the shape of a link, not the dataset.
ViewState = dataclasses.make_dataclass(
    "ViewState",
    [(field.name, Any, dataclasses.field(default=field.default)) for field in FIELDS],
    frozen=True,
    namespace={
        "from_query": classmethod(_from_query),
        "to_query": _to_query,
        "__doc__": "What a reader sees: one attribute per field of `state.FIELDS`.",
        "__module__": __name__,
    },
)


# --- what a page may send to the widget's traits ---------------------------------------------
def coerce_trait(name: str, value: Any) -> tuple[bool, Any]:
    """Whether a value a page sent for trait `name` is acceptable, and the value to keep. A
    malformed value (wrong type, NaN, too long, a deep structure) is refused, never raised."""
    field = FIELD.get(name)
    if field is None:
        return False, None
    if field.kind == "choice":
        return (isinstance(value, str) and value in field.choices), value
    if field.kind in ("code", "key", "month", "day"):
        if not isinstance(value, str):
            return False, None
        if field.kind == "code":
            return _text(field, value), value
        return value == "" or _text(field, value), value
    if field.kind == "flag":
        return isinstance(value, bool), value
    if field.kind == "text":
        return isinstance(value, str) and len(value) <= MAX_TEXT, value
    if value is None:
        return True, None
    if field.kind == "number":
        return _number(value, field.maximum), value
    if field.kind == "split":
        if not isinstance(value, dict) or len(value) > MAX_ITEMS:
            return False, None
        ok = all(
            isinstance(k, str) and KEY.fullmatch(k) and _number(v, 100) for k, v in value.items()
        )
        return ok, ({k: float(v) for k, v in value.items()} if ok else None)
    ok = isinstance(value, list) and len(value) <= MAX_ITEMS  # keys
    ok = ok and all(isinstance(v, str) and KEY.fullmatch(v) for v in value)
    return ok, (list(value) if ok else None)


def _number(value: Any, maximum: float) -> bool:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return ok and math.isfinite(value) and 0 <= value <= maximum
