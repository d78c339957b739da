from __future__ import annotations

import json

import pandas as pd

from stargate_explainer import COLUMNS, load
from stargate_explainer.data_export import JSON_NAME, export_data


def test_writes_one_csv_per_table_and_one_json(minimal_path, tmp_path):
    written = export_data(load(minimal_path), tmp_path)
    assert sorted(p.name for p in written) == sorted([f"{t}.csv" for t in COLUMNS] + [JSON_NAME])


def test_csv_rows_match_the_frames(minimal_path, tmp_path):
    dataset = load(minimal_path)
    export_data(dataset, tmp_path)
    for table, columns in COLUMNS.items():
        csv = pd.read_csv(tmp_path / f"{table}.csv", keep_default_na=False, dtype=str)
        assert list(csv.columns) == list(columns)
        assert len(csv) == len(getattr(dataset, table))
    events = pd.read_csv(tmp_path / "events.csv", dtype=str, keep_default_na=False)
    assert events.loc[0, "date"] == "2025-01-21"
    assert events.loc[0, "source_ids"] == "src-a"


def test_json_holds_the_whole_document(minimal_path, tmp_path):
    dataset = load(minimal_path)
    export_data(dataset, tmp_path)
    document = json.loads((tmp_path / JSON_NAME).read_text("utf-8"))
    assert document["meta"]["updated"] == "2026-11-23"
    assert document["claims"][1]["text"]["ja"] == "違う。"
    assert len(document["events"]) == len(dataset.events)


def test_cli_export_data(minimal_path, tmp_path):
    from stargate_explainer.cli import main

    assert main(["export-data", str(tmp_path / "out"), "--data", str(minimal_path)]) == 0
    assert (tmp_path / "out" / "fx.csv").read_text("utf-8").startswith("date,base,quote,rate")


def test_dashboard_downloads_hold_the_whole_dataset():
    import io
    import json
    import zipfile

    from stargate_explainer import load
    from stargate_explainer.data_export import dataset_file

    dataset = load()
    name, mime, body = dataset_file(dataset, "json")
    assert (name, mime) == ("stargate.json", "application/json")
    assert len(json.loads(body)["sources"]) == len(dataset.sources)
    name, mime, body = dataset_file(dataset, "csv")
    assert name.endswith(".zip") and mime == "application/zip"
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert sorted(archive.namelist()) == sorted(f"{t}.csv" for t in dataset.table_names())
        events = archive.read("events.csv").decode("utf-8").splitlines()
        assert len(events) == len(dataset.events) + 1
