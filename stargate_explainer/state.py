"""The view state a URL can carry (`?view=timeline&lang=ja`), read and written in one place."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from .i18n import DEFAULT_LANGUAGE, LANGUAGES

VIEWS = ("org", "funding", "timeline", "markets", "claims", "sources")
DEFAULT_VIEW = "org"


@dataclass(frozen=True)
class ViewState:
    view: str = DEFAULT_VIEW
    lang: str = DEFAULT_LANGUAGE

    @classmethod
    def from_query(cls, query: str | None) -> ViewState:
        """Unknown or malformed values fall back to the defaults: a shared link with a typo
        still opens the dashboard."""
        values = parse_qs((query or "").lstrip("?"))
        view = values.get("view", [DEFAULT_VIEW])[0]
        lang = values.get("lang", [DEFAULT_LANGUAGE])[0]
        return cls(
            view=view if view in VIEWS else DEFAULT_VIEW,
            lang=lang if lang in LANGUAGES else DEFAULT_LANGUAGE,
        )

    def to_query(self) -> str:
        return urlencode({"view": self.view, "lang": self.lang})
