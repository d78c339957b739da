"""The live host of the view runtime: one anywidget for Voilà and JupyterLab.

The widget's synced traits are the view state, declared once in `state.FIELDS`, so Python can
read, set and observe what the reader sees (`d.lang = "ja"`, `d.observe(callback, "currency")`,
`ipywidgets.jslink`). Its front-end module is a small loader (`runtime.loader_text()`): the view
runtime and the page model travel once per page, not once per widget, and only when the page
does not have them already (the Voilà dashboard's page and a notebook's `show()` outputs carry
both). The kernel answers those questions as text, once per page connection; it only hashes the
data file to name its model (no pandas, pydantic or PyYAML in a reader's kernel).

Every value a page sends is checked (`state.coerce_trait`) and a malformed message is dropped:
no traceback ever reaches the page; it goes to the server's log.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import anywidget
import traitlets

from . import model_cache, runtime
from .state import FIELDS, TRAITS, VIEWS, coerce_trait

log = logging.getLogger(__name__)
if not log.handlers:
    # The kernel process's own stderr is the server's log; `sys.stderr` in a kernel is the
    # notebook's output (and a reader's page), where tracebacks must not go.
    _handler = logging.StreamHandler(sys.__stderr__)
    _handler.setFormatter(logging.Formatter("[%(name)s] %(levelname)s %(message)s"))
    log.addHandler(_handler)
    log.propagate = False

# Most answers a widget gives to each question ("runtime", "page") in its life: one per page
# connection is what a reader needs (JupyterLab reconnects on every reload).
MAX_ANSWERS = 32
# Malformed messages logged, with their traceback, per widget: a page that sends them by the
# thousand cannot fill the server's log.
MAX_LOGGED = 20


def _trait(field) -> traitlets.TraitType:
    """The traitlets type of a state field (`state.Field.kind`)."""
    options = {"default_value": field.default, "help": field.help}
    if field.kind == "flag":
        trait = traitlets.Bool(**options)
    elif field.kind == "number":
        trait = traitlets.Float(allow_none=True, **options)
    elif field.kind == "split":
        trait = traitlets.Dict(allow_none=True, **options)
    elif field.kind == "keys":
        trait = traitlets.List(traitlets.Unicode(), allow_none=True, **options)
    else:
        trait = traitlets.Unicode(**options)
    return trait.tag(sync=True)


class Dashboard(anywidget.AnyWidget):
    """The explainer as one widget; `view`, `lang` and the other state traits drive it."""

    _esm = runtime.loader_text()
    page_key = traitlets.Unicode("", help="Key of the page model the page draws.").tag(sync=True)
    data_path = traitlets.Unicode("", help="Data file the model was built from.")
    # One synced trait per field of the view state (`state.FIELDS`).
    vars().update({field.name: _trait(field) for field in FIELDS})

    def __init__(self, path: str | Path | None = None, **state):
        super().__init__(page_key=model_cache.model_key(path), data_path=str(path or ""), **state)
        self._answered: dict[str, set[str]] = {"runtime": set(), "page": set()}
        self._malformed = 0
        self.on_msg(self._on_custom_message)

    @traitlets.validate("view")
    def _valid_view(self, proposal):
        if proposal["value"] not in VIEWS:
            raise traitlets.TraitError(f"view must be one of {', '.join(VIEWS)}")
        return proposal["value"]

    def _handle_msg(self, msg):
        """What a page sends: trait updates (each value checked in `set_state`), a request for
        the state, and questions (`_on_custom_message`). This replaces ipywidgets' handler,
        which, in a kernel, turns an exception into a traceback sent to the page
        (`ip.showtraceback()` on the kernel's output channel): a message a page should never
        send is logged here with its traceback, in the server's log, and dropped."""
        try:
            self._session = str(((msg or {}).get("header") or {}).get("session", ""))[:64]
            data = msg["content"]["data"]
            method = data["method"]
            if method == "update" and "state" in data:
                self.set_state(data["state"])
            elif method == "request_state":
                self.send_state()
            elif method == "custom" and "content" in data:
                self._handle_custom_msg(data["content"], msg.get("buffers") or [])
            else:
                raise ValueError(f"no such widget message: method {str(method)[:40]!r}")
        except Exception:  # noqa: BLE001 - a client's message must not raise
            self._malformed += 1
            if self._malformed <= MAX_LOGGED:
                log.warning("ignored a malformed widget message", exc_info=True)
            if self._malformed == MAX_LOGGED:
                log.warning("further malformed messages to this widget are ignored unlogged")

    def set_state(self, sync_data):
        """Keep only the state traits a page may set, each checked; the rest is ignored."""
        if not isinstance(sync_data, dict):
            raise TypeError(f"a widget's state is a mapping, not {type(sync_data).__name__}")
        clean = {}
        for name, value in sync_data.items():
            if name not in TRAITS:
                continue
            ok, coerced = coerce_trait(name, value)
            if ok:
                clean[name] = coerced
        if clean:
            super().set_state(clean)

    def _on_custom_message(self, _widget, content, _buffers) -> None:
        """The questions a page asks: the runtime and the page model, each answered once per
        page connection, as text (never binary buffers, which Voilà 0.5 misparses on legacy
        websockets)."""
        if not isinstance(content, dict) or content.get("type") != "asset":
            return
        name = content.get("name")
        answered = self._answered.get(name)
        session = getattr(self, "_session", "")
        if answered is None or session in answered or len(answered) >= MAX_ANSWERS:
            return
        answered.add(session)
        text = runtime.script_text() if name == "runtime" else self.page_model()
        self.send({"type": "asset", "name": name, "text": text})

    def page_model(self) -> str:
        """The page model (JSON text) this widget draws."""
        return model_cache.model_text(self.data_path or None)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            data, metadata = bundle
        else:
            data, metadata = bundle or {}, {}
        data["text/plain"] = "Stargate Explained: an interactive view (run in JupyterLab or Voilà)."
        return data, metadata


def dashboard(path: str | Path | None = None, **state) -> Dashboard:
    """The whole explainer for the data at `path` (default: `$STARGATE_DATA` or the
    repository's data). Keyword arguments set the opening state (`view="funding"`,
    `lang="ja"`). In Voilà the page's address is the share link and sets the state. Invalid
    data gives a readable error panel instead."""
    return Dashboard(path, **state)


def view(key: str, lang: str = "en", path: str | Path | None = None, **state) -> Dashboard:
    """One view on its own, for the notebooks that explore a single part of the story."""
    if key not in VIEWS:
        raise ValueError(f"unknown view {key!r}; choose one of {', '.join(VIEWS)}")
    return Dashboard(path, view=key, lang=lang, embed=True, **state)
