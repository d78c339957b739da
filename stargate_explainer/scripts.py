"""The page scripts, assembled from `static/`: the chart tools shared by the live dashboard and
the static site, preceded by the figure themes from `figures.THEMES` (one definition)."""

from __future__ import annotations

import json
from pathlib import Path

from .figures import THEMES

STATIC = Path(__file__).resolve().parent / "static"


def read(name: str) -> str:
    return (STATIC / name).read_text("utf-8")


def with_chart_tools(name: str) -> str:
    """`name`'s script with the chart tools and themes in front of it."""
    themes = f"const STARGATE_THEMES = {json.dumps(THEMES)};\n"
    return themes + read("chart_tools.js") + "\n" + read(name)
