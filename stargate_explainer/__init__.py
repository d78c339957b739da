"""Stargate Explained: the sourced Stargate Project dataset, its loader, views and exports.

`load()` returns a `Dataset` of pandas DataFrames; `COLUMNS` documents their public columns.
`dashboard()` is the whole explainer as one widget, `view(key)` one of its views.

Names are imported on first use, so a dashboard kernel never pays for pandas or pydantic.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.2.0"

_LAZY = {
    "COLUMNS": ".dataset",
    "Dataset": ".dataset",
    "load": ".dataset",
    "DataError": ".problems",
    "Problem": ".problems",
    "dashboard": ".widget",
    "view": ".widget",
}
__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
