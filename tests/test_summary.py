from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from stargate_explainer import load
from stargate_explainer.summary import summary_html, summary_table

from .conftest import ROOT


def test_summary_counts_every_table(minimal_path):
    dataset = load(minimal_path)
    table = summary_table(dataset).set_index("table")
    assert table.loc["events", "records"] == len(dataset.events) == 2
    assert set(table.index) == set(dataset.table_names())


def test_bad_data_gives_an_escaped_error_panel(tmp_path):
    path = tmp_path / "<img src=x onerror=alert(1)>.yaml"
    path.write_text("meta: [\n")
    page = summary_html(str(path))
    assert 'role="alert"' in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def _run_notebook(monkeypatch, data_path) -> str:
    monkeypatch.setenv("STARGATE_DATA", str(data_path))
    notebook = nbformat.read(ROOT / "dashboards" / "stargate.ipynb", as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return "".join(
        output.get("data", {}).get("text/html", "")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )


def test_placeholder_notebook_runs_and_shows_the_summary(monkeypatch, minimal_path):
    page = _run_notebook(monkeypatch, minimal_path)
    assert "Minimal test dataset" in page and "Timeline events" in page


def test_placeholder_notebook_shows_the_error_panel_for_bad_data(monkeypatch):
    page = _run_notebook(monkeypatch, ROOT / "tests" / "bad_data" / "many_problems.yaml")
    assert 'role="alert"' in page and "claims[0].speaker_id" in page
