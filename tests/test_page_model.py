"""page_model: everything the views need, built once from a validated dataset."""

from __future__ import annotations

import json

import pytest

from stargate_explainer import load
from stargate_explainer.page_model import (
    FORMAT,
    PROBLEMS_SHOWN,
    build,
    build_for_file,
    problems_model,
)
from stargate_explainer.problems import Problem

from .conftest import ROOT


@pytest.fixture(scope="module")
def data():
    return load()


@pytest.fixture(scope="module")
def model(data):
    return build(data.document)


def test_the_model_is_plain_json_with_the_records_as_validated(model, data):
    assert json.loads(json.dumps(model, allow_nan=False)) == model
    assert model["format"] == FORMAT
    assert len(model["data"]["sources"]) == len(data.sources)
    assert {"strings", "terms"} <= set(model["ui"])


def test_funders_and_anchors_come_from_the_data(model, data):
    derived = model["derived"]
    equity = data.commitments.query("kind == 'equity' and to_id == 'stargate'")
    assert set(derived["funders"]) == set(equity["org_id"])
    events = {e["id"] for e in model["data"]["events"]}
    assert derived["announcement"] in events and derived["initial"] in events


def test_shares_and_amounts_are_separate_presets_with_their_own_sources(model):
    presets = {p["kind"]: p for p in model["derived"]["presets"]}
    assert {"shares", "amounts", "equal"} <= set(presets)
    shares, amounts = presets["shares"], presets["amounts"]
    assert sum(shares["values"].values()) <= 100
    assert shares["unreported"], "Oracle's and MGX's shares were not reported"
    assert all(s in {x["id"] for x in model["data"]["sources"]} for s in shares["sources"])
    assert presets["equal"]["status"] == "unverified" and presets["equal"]["sources"] == []
    assert amounts["status"] in ("confirmed", "reported")


def test_exchange_rates_are_the_ones_nearest_the_announcement(model):
    fx = model["derived"]["fx"]
    assert fx["USD"]["rate"] == 1
    assert fx["JPY"]["rate"] > 100 and fx["JPY"]["sources"]


def test_comparisons_are_in_one_dollar_year(model, data):
    comparisons = model["derived"]["comparisons"]
    index = {row.year: row.value for row in data.document.price_index}
    base = comparisons["base_year"]
    assert base == max(index)
    for programme in comparisons["programmes"]:
        original = programme["original"]
        expected = original["value"] * index[base] / index[original["year"]]
        assert programme["value"] == pytest.approx(expected)
    drawn = {p["id"] for p in comparisons["programmes"]}
    omitted = {p["id"] for p in comparisons["omitted"]}
    programmes = {c.id for c in data.document.comparisons if c.kind == "programme"}
    assert drawn | omitted == programmes and not drawn & omitted


def test_invalid_data_gives_the_problems_with_the_file_name_only(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text((ROOT / "tests" / "bad_data" / "many_problems.yaml").read_text("utf-8"))
    model = build_for_file(broken)
    assert set(model) == {"format", "problems", "ui"}
    assert model["problems"]["file"] == "broken.yaml"
    assert model["problems"]["count"] == len(model["problems"]["items"]) > 1
    assert not any(str(tmp_path) in item for item in model["problems"]["items"])


def test_the_panel_shows_the_first_problems_and_counts_them_all():
    problems = [Problem("/srv/x/data.yaml", n, "f", "bad \x1b[2J") for n in range(1, 500)]
    model = problems_model("/srv/x/data.yaml", problems)["problems"]
    assert model["count"] == 499
    assert len(model["items"]) == PROBLEMS_SHOWN
    assert all(item.startswith("data.yaml:") and "\x1b" not in item for item in model["items"])


def test_valid_data_without_the_anchor_records_cannot_be_drawn(minimal_path):
    model = build_for_file(minimal_path)
    messages = " ".join(model["problems"]["items"])
    assert "stargate" in messages and "stargate-announced" in messages


def test_the_derived_source_columns_are_what_the_model_says_of_each_source():
    """The dataset's CSV files, written in the page, read a source's publisher and kind from
    the model's `derived.sources`: the same names as the DataFrame's derived columns."""
    import json

    from stargate_explainer.dataset import DERIVED_COLUMNS
    from stargate_explainer.model_cache import model_text

    derived = json.loads(model_text())["derived"]
    for table, columns in DERIVED_COLUMNS.items():
        for entry in derived[table].values():
            assert set(columns) <= set(entry)
