"""Views that survive `jupyter nbconvert --to html`, offline.

`show(key)` displays the view as the static site does: the runtime's host element with the page
model, drawn and driven in the browser with no kernel. nbconvert keeps that HTML, so an exported
notebook shows the same interactive view with no network. The runtime is inlined in the first
output of a kernel only; later outputs in the same page reuse it.
"""

from __future__ import annotations

import itertools

from IPython.display import HTML

from .model_cache import model_text
from .state import VIEWS
from .static_site import host_html

_counter = itertools.count(1)
_runtime_sent = False


def show(key: str, lang: str = "en", path: str | None = None) -> HTML:
    """One view, drawn in the browser from the page model; works in an exported notebook."""
    global _runtime_sent
    if key not in VIEWS:
        raise ValueError(f"unknown view {key!r}; choose one of {', '.join(VIEWS)}")
    html = host_html(
        model_text(path),
        lang,
        element_id=f"stargate-view-{next(_counter)}",
        view=key,
        embed=True,
        runtime_script="reuse" if _runtime_sent else "inline",
    )
    _runtime_sent = True
    return HTML(html)
