"""Writes the dataset for readers and other tools: one CSV per table and one JSON of everything.

Every CSV Python writes goes through `csv_text`, which keeps text that a spreadsheet would run
as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, a leading tab or carriage return) as text by
putting `'` before it, as the per-chart CSVs built in the page do. Numbers stay numbers.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from .dataset import Dataset

JSON_NAME = "stargate.json"
ZIP_NAME = "stargate-csv.zip"
# First characters that make a spreadsheet read a cell as a formula (or, for tab and carriage
# return, that some spreadsheets strip before doing so).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_data(dataset: Dataset, out_dir: Path, zip_name: str | None = None) -> list[Path]:
    """Write `<table>.csv` for every table and `stargate.json`, and with `zip_name` a zip of
    the CSV files too; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    texts = csv_texts(dataset)
    for name, text in texts.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    path = out_dir / JSON_NAME
    path.write_text(json_text(dataset), encoding="utf-8")
    written.append(path)
    if zip_name:
        path = out_dir / zip_name
        path.write_bytes(csv_zip(texts))
        written.append(path)
    return written


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Tuples (source ids, org ids) become `;`-joined text and dates ISO dates, so that a
    spreadsheet shows what the dataset says."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif out[column].map(lambda value: isinstance(value, tuple)).any():
            out[column] = out[column].map(";".join)
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """The one CSV writer: `frame` as CSV text (header, no index, `\n` line ends), with every
    text cell that a spreadsheet would run as a formula turned into plain text by a leading
    `'`. Columns of numbers, dates and booleans are written as they are."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralised)
    safe.columns = [neutralised(str(column)) for column in safe.columns]
    return safe.to_csv(index=False, lineterminator="\n")


def neutralised(value: Any) -> Any:
    """`value`, with a `'` before it when it is text starting like a formula, and carriage
    returns written as newlines: Python's CSV writer quotes a cell with a newline but not
    one with a lone carriage return, which a spreadsheet would take for the end of the row
    (and start the next row with what follows it)."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def json_text(dataset: Dataset) -> str:
    document = dataset.document.model_dump(mode="json")
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def csv_texts(dataset: Dataset) -> dict[str, str]:
    """Every table as CSV text, by file name: what the live dashboard's "Data (CSV, zip)"
    download zips in the page."""
    return {
        f"{table}.csv": csv_text(csv_frame(getattr(dataset, table)))
        for table in dataset.table_names()
    }


def dataset_file(dataset: Dataset, format: str) -> tuple[str, str, bytes]:
    """The whole dataset as one download: JSON, or a zip of one CSV per table (the same files
    as the static site's `data/`)."""
    if format == "json":
        return JSON_NAME, "application/json", json_text(dataset).encode("utf-8")
    return ZIP_NAME, "application/zip", csv_zip(csv_texts(dataset))


def csv_zip(texts: dict[str, str]) -> bytes:
    """CSV texts by file name, as one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in texts.items():
            archive.writestr(name, text)
    return buffer.getvalue()
