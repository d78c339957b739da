"""Notebook display that survives `jupyter nbconvert --to html`, offline.

Importing this module makes "stargate" plotly's default renderer: each figure is sent both as
plotly's JSON (what JupyterLab draws) and as HTML that nbconvert keeps, with plotly.js inlined
in the first figure of the kernel only. The default renderer of plotly ≥ 6 sends JSON alone,
which nbconvert drops, and the "notebook_connected" one needs a CDN.
"""

from __future__ import annotations

import json

import plotly.io as pio
from IPython.display import HTML, display
from plotly.io._base_renderers import MimetypeRenderer

from . import charts, panels
from .dataset import load
from .export import PLOTLY_JS
from .frames import Frames
from .state import VIEWS

RENDERER = "stargate"
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


class OfflineHtmlRenderer(MimetypeRenderer):
    # Kept on the class: plotly copies a renderer for every figure it shows.
    plotly_sent = False

    def to_mimebundle(self, fig_dict: dict) -> dict:
        fig_dict = json.loads(pio.to_json(fig_dict, validate=False))  # plain JSON types only
        html = pio.to_html(
            fig_dict, include_plotlyjs=False, full_html=False, config=CONFIG, validate=False
        )
        if not self.plotly_sent:
            html = f"<script>{PLOTLY_JS.read_text('utf-8')}</script>{html}"
            type(self).plotly_sent = True
        return {"application/vnd.plotly.v1+json": fig_dict, "text/html": html}


pio.renderers[RENDERER] = OfflineHtmlRenderer()
pio.renderers.default = RENDERER


def show(key: str, lang: str = "en", path: str | None = None) -> None:
    """Display one view as static charts and panels: what an exported notebook keeps."""
    if key not in VIEWS:
        raise ValueError(f"unknown view {key!r}; choose one of {', '.join(VIEWS)}")
    frames = Frames(load(path))
    for chart in charts.view_charts(frames, key, lang):
        chart.figure.show()
        display(HTML(panels.source_footer(frames, chart.source_ids, chart.rows["status"], lang)))
    if key == "claims":
        display(HTML(panels.claims_html(frames, lang)))
    elif key == "sources":
        display(HTML(panels.sources_table(frames.sources, lang)))
