"""The Voilà dashboard's page: the explainer drawn at once, before any kernel is ready.

The template (`assets/jupyter/voila/templates/stargate/index.html.j2`) puts `page_html` right
after `<body>`: the view runtime, the cached page model and its host element, which the runtime
draws as the page arrives, the state taken from the address. Voilà then waits for the reader's
kernel (`server.reader_kernel_ready`) and runs the notebook; the dashboard widget finds the
drawing and takes it over (its traits become the view state), with nothing redrawn. A reader who
gets no kernel (cap reached, too little memory, a start that fails or times out) keeps a page
that works. voila.json registers both functions as the template's Jinja filters; they run in
the server's process, so the model is read in a thread and a miss never blocks the server.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

from jupyter_server.base.call_context import CallContext

from . import model_cache
from .i18n import LANGUAGES
from .static_site import host_html


async def page_html(_notebook) -> str:
    """The host element, its page model and the runtime, for this request's reader."""
    handler = CallContext.get(CallContext.JUPYTER_HANDLER)
    key, text = await asyncio.to_thread(model_cache.model_entry)
    kernel = "pending" if getattr(handler, "stargate_kernel", None) else "off"
    return host_html(text, key, reader_language(handler), address="query", kernel=kernel)


def reader_language(handler) -> str:
    """`?lang=` if it names a language of the explainer, else the browser's first choice."""
    if handler is None:
        return "en"
    asked = parse_qs(handler.request.query).get("lang", [""])[0]
    if asked in LANGUAGES:
        return asked
    accept = handler.request.headers.get("Accept-Language", "")
    return "ja" if accept.strip().lower().startswith("ja") else "en"
