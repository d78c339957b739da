"""The view state a link carries, read and written in one place.

The live dashboard reads it from the page's query string (`?view=funding&currency=JPY`) and
writes it back to the address bar; the static site uses the same text after `#`. `site.js`
mirrors `from_query`/`to_query` and the tests check that each side reads what the other
wrote. Only values that differ from the defaults are written, so links stay short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, quote

from .funding import round_half_up
from .i18n import DEFAULT_LANGUAGE, LANGUAGES

VIEWS = ("org", "funding", "timeline", "markets", "claims", "sources")
DEFAULT_VIEW = "org"
SHARE_DIGITS = 2  # shares travel in links with this many decimals, so links restore them exactly

# ASCII only, as in site.js: Python's \d would also accept digits of other scripts.
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_MONTH = re.compile(r"(19|20|21)[0-9][0-9]-(0[1-9]|1[0-2])")
_NUMBER = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})?")


@dataclass(frozen=True)
class ViewState:
    """What a reader sees. Empty values mean "the view's default" (the first reported preset,
    the announced total, every lane, the whole date range), which the views resolve against
    the data: this class knows the shape of a link, not the dataset."""

    view: str = DEFAULT_VIEW
    lang: str = DEFAULT_LANGUAGE
    currency: str = "USD"
    preset: str = ""
    split: tuple[tuple[str, float], ...] = ()
    total: float | None = None
    start: str = ""
    end: str = ""
    lanes: tuple[str, ...] | None = None
    embed: bool = field(default=False)

    @classmethod
    def from_query(cls, query: str | None) -> ViewState:
        """Unknown or malformed values fall back to the defaults: a shared link with a typo
        still opens the dashboard."""
        text = (query or "").lstrip("?#")
        try:
            values = parse_qs(text, keep_blank_values=True, max_num_fields=32)
        except ValueError:  # more fields than any link of ours carries
            values = {}

        def first(name: str) -> str | None:
            found = values.get(name)
            return found[0] if found else None

        view = first("view")
        lang = first("lang")
        currency = first("currency") or ""
        preset = first("preset") or ""
        total = first("total") or ""
        start, end = first("from") or "", first("to") or ""
        lanes = first("lanes")
        return cls(
            view=view if view in VIEWS else DEFAULT_VIEW,
            lang=lang if lang in LANGUAGES else DEFAULT_LANGUAGE,
            currency=currency if _CURRENCY.fullmatch(currency) else "USD",
            preset=preset if _KEY.fullmatch(preset) else "",
            split=_parse_split(first("split") or ""),
            total=float(total) if _NUMBER.fullmatch(total) else None,
            start=start if _MONTH.fullmatch(start) else "",
            end=end if _MONTH.fullmatch(end) else "",
            lanes=None
            if lanes is None
            else tuple(lane for lane in lanes.split(",") if _KEY.fullmatch(lane)),
            embed=first("embed") == "1",
        )

    def to_query(self) -> str:
        parts = [("view", self.view), ("lang", self.lang)]
        if self.currency != "USD":
            parts.append(("currency", self.currency))
        if self.preset:
            parts.append(("preset", self.preset))
        if self.split:
            parts.append(("split", ",".join(f"{k}:{_number(v)}" for k, v in self.split)))
        if self.total is not None:
            parts.append(("total", _number(self.total)))
        if self.start:
            parts.append(("from", self.start))
        if self.end:
            parts.append(("to", self.end))
        if self.lanes is not None:
            parts.append(("lanes", ",".join(self.lanes)))
        if self.embed:
            parts.append(("embed", "1"))
        return "&".join(f"{name}={quote(value, safe=',:-')}" for name, value in parts)

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)


def _number(value: float) -> str:
    """Shortest text for a share or total rounded to SHARE_DIGITS ("40", "33.33")."""
    return f"{round_half_up(value, SHARE_DIGITS):.{SHARE_DIGITS}f}".rstrip("0").rstrip(".")


def _parse_split(text: str) -> tuple[tuple[str, float], ...]:
    """`openai:40,softbank:40` as pairs; the whole split is dropped if any part is malformed or
    a funder repeats, since half a split is not what the sender saw."""
    pairs = []
    for part in text.split(",") if text else []:
        key, _, number = part.partition(":")
        if not (_KEY.fullmatch(key) and _NUMBER.fullmatch(number)) or key in dict(pairs):
            return ()
        pairs.append((key, float(number)))
    return tuple(pairs)
