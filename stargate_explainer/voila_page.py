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

from jupyter_server.base.call_context import CallContext

from . import model_cache
from .server import reader_language
from .static_site import host_html


async def page_html(_notebook) -> str:
    """The host element, its page model and the runtime, for this request's reader."""
    handler = CallContext.get(CallContext.JUPYTER_HANDLER)
    key, text = await asyncio.to_thread(model_cache.model_entry)
    kernel = "pending" if getattr(handler, "stargate_kernel", None) else "off"
    return host_html(text, key, reader_language(handler), address="query", kernel=kernel)
