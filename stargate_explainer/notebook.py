"""Views that survive `jupyter nbconvert --to html`, offline.

`show(key)` displays the view as the static site does: the runtime's host element with the page
model, drawn and driven in the browser with no kernel. Every output carries the runtime and the
model it needs, so it draws on its own however the page around it was made: after a browser
reload, in an exported page, next to other outputs (the runtime runs once per page, and each
drawing has its own element ids, listeners and theme).
"""

from __future__ import annotations

from IPython.display import HTML

from .model_cache import model_entry
from .state import VIEWS
from .static_site import host_html


def show(key: str, lang: str = "en", path: str | None = None) -> HTML:
    """One view, drawn in the browser from the page model; works in an exported notebook."""
    if key not in VIEWS:
        raise ValueError(f"unknown view {key!r}; choose one of {', '.join(VIEWS)}")
    model_key, model = model_entry(path)
    return HTML(host_html(model, model_key, lang, view=key, embed=True))
