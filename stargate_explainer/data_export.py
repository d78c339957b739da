"""Writes the dataset for readers and other tools: one CSV per table and one JSON of everything."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd

from .dataset import Dataset

JSON_NAME = "stargate.json"


def export_data(dataset: Dataset, out_dir: Path) -> list[Path]:
    """Write `<table>.csv` for every table and `stargate.json`; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in dataset.table_names():
        path = out_dir / f"{table}.csv"
        csv_frame(getattr(dataset, table)).to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    path = out_dir / JSON_NAME
    path.write_text(json_text(dataset), encoding="utf-8")
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


def json_text(dataset: Dataset) -> str:
    document = dataset.document.model_dump(mode="json")
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def csv_texts(dataset: Dataset) -> dict[str, str]:
    """Every table as CSV text, by file name: what the live dashboard's "Data (CSV, zip)"
    download zips in the page."""
    return {
        f"{table}.csv": csv_frame(getattr(dataset, table)).to_csv(index=False, lineterminator="\n")
        for table in dataset.table_names()
    }


def dataset_file(dataset: Dataset, format: str) -> tuple[str, str, bytes]:
    """The whole dataset as one download: JSON, or a zip of one CSV per table (the same files
    as the static site's `data/`)."""
    if format == "json":
        return JSON_NAME, "application/json", json_text(dataset).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in dataset.table_names():
            frame = csv_frame(getattr(dataset, table))
            archive.writestr(f"{table}.csv", frame.to_csv(index=False, lineterminator="\n"))
    return "stargate-csv.zip", "application/zip", buffer.getvalue()
