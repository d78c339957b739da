"""The live host of the view runtime: one anywidget for Voilà and JupyterLab.

The widget's module is the runtime (`runtime.module_text()`); its synced traits are the view
state, so Python can read, set and observe what the reader sees (`d.lang = "ja"`,
`d.observe(callback, "currency")`, `ipywidgets.jslink`). The kernel only serves the page model,
read from the cache (no pandas, pydantic or PyYAML in a reader's kernel), and the dataset's
CSV files once per page when asked. Every value a page sends is checked (`state.coerce_trait`)
and a malformed message is dropped with a log line: no traceback ever reaches the page.
"""

from __future__ import annotations

import logging
from pathlib import Path

import anywidget
import traitlets

from . import model_cache, runtime
from .state import TRAITS, VIEWS, coerce_trait

log = logging.getLogger(__name__)


class Dashboard(anywidget.AnyWidget):
    """The explainer as one widget; `view`, `lang` and the other state traits drive it."""

    _esm = runtime.module_text()
    _css = runtime.css_text()

    page = traitlets.Unicode("", help="The page model (JSON text).").tag(sync=True)
    data_path = traitlets.Unicode("", help="Data file the model was built from.")
    view = traitlets.Unicode("org", help="org, funding, timeline, markets, claims or sources.").tag(
        sync=True
    )
    lang = traitlets.Unicode("en", help="en or ja.").tag(sync=True)
    currency = traitlets.Unicode("USD", help="USD, JPY or CNY.").tag(sync=True)
    preset = traitlets.Unicode("", help="Key of the funding preset; empty for the first.").tag(
        sync=True
    )
    split = traitlets.Dict(
        default_value=None, allow_none=True, help="A reader's own split: funder id → share %."
    ).tag(sync=True)
    total = traitlets.Float(
        default_value=None, allow_none=True, help="Illustrative total in US$ billions."
    ).tag(sync=True)
    date_from = traitlets.Unicode("", help="First month of the timeline, YYYY-MM.").tag(sync=True)
    date_to = traitlets.Unicode("", help="Last month of the timeline, YYYY-MM.").tag(sync=True)
    lanes = traitlets.List(
        traitlets.Unicode(), default_value=None, allow_none=True, help="Timeline lanes shown."
    ).tag(sync=True)
    node = traitlets.Unicode("", help="Selected organisation of the org chart.").tag(sync=True)
    event = traitlets.Unicode("", help="Selected event of the timeline.").tag(sync=True)
    embed = traitlets.Bool(False, help="Show the current view alone.").tag(sync=True)

    def __init__(self, path: str | Path | None = None, **state):
        model = model_cache.model_text(path)
        super().__init__(page=model, data_path=str(path or ""), **state)
        self._csv_sent = False
        self.on_msg(self._on_custom_message)

    @traitlets.validate("view")
    def _valid_view(self, proposal):
        if proposal["value"] not in VIEWS:
            raise traitlets.TraitError(f"view must be one of {', '.join(VIEWS)}")
        return proposal["value"]

    def _handle_msg(self, msg):
        """ipywidgets' handler, behind a guard: a message a page should never send is logged
        in one line and dropped."""
        try:
            super()._handle_msg(msg)
        except Exception as error:  # noqa: BLE001 - a client's message must not raise
            log.warning("ignored a malformed widget message (%s)", type(error).__name__)

    def set_state(self, sync_data):
        """Keep only the state traits a page may set, each checked; the rest is ignored."""
        if not isinstance(sync_data, dict):
            return
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
        """The only request a page makes: the dataset's CSV files, sent once per page as text
        (never as binary buffers, which Voilà 0.5 misparses on legacy websockets)."""
        if not isinstance(content, dict) or content.get("type") != "dataset-csv":
            return
        if self._csv_sent:
            return
        self._csv_sent = True
        files = model_cache.csv_files(self.data_path or None)
        self.send({"type": "dataset-csv", "files": files})

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
