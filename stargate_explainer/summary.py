"""The placeholder dashboard: what the dataset holds, or a readable panel of its problems.

All text from the data file is escaped before it becomes HTML.
"""

from __future__ import annotations

import html

import pandas as pd

from .dataset import Dataset, load
from .problems import DataError

TABLE_LABELS = {
    "sources": ("Sources", "出典"),
    "organisations": ("Organisations", "組織"),
    "people": ("People", "人物"),
    "commitments": ("Commitments", "コミットメント"),
    "events": ("Timeline events", "年表の出来事"),
    "market_moves": ("Market moves", "市場の動き"),
    "claims": ("Claims", "主張"),
    "fx": ("Exchange rates", "為替レート"),
    "comparisons": ("Comparisons", "比較対象"),
    "corrections": ("Corrections", "訂正"),
}


def summary_table(dataset: Dataset) -> pd.DataFrame:
    """One row per table: its English and Japanese label and how many records it holds."""
    return pd.DataFrame(
        [
            {
                "table": table,
                "label_en": en,
                "label_ja": ja,
                "records": len(getattr(dataset, table)),
            }
            for table, (en, ja) in TABLE_LABELS.items()
        ]
    )


def error_panel_html(error: DataError) -> str:
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in error.problems)
    return (
        '<div role="alert" class="stargate-error" '
        'style="border:2px solid #b2182b;padding:1em;border-radius:6px;background:#fff5f5">'
        "<h2>The dataset could not be loaded / データを読み込めませんでした</h2>"
        f"<p>{len(error.problems)} problem(s) in the data file:</p><ul>{items}</ul></div>"
    )


def summary_html(path: str | None = None) -> str:
    """The placeholder page: a summary of the dataset, or the error panel."""
    try:
        dataset = load(path)
    except DataError as error:
        return error_panel_html(error)
    meta = dataset.document.meta
    table = summary_table(dataset).to_html(index=False, escape=True, border=0)
    return (
        f"<h1>{html.escape(meta.title.en)} / {html.escape(meta.title.ja)}</h1>"
        f"<p>{html.escape(meta.description.en)}</p><p>{html.escape(meta.description.ja)}</p>"
        f"<p>Data: <code>{html.escape(str(dataset.path))}</code>, updated {meta.updated}</p>"
        f"{table}"
    )
