"""page_model: everything the views need, built once from a validated dataset."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from stargate_explainer import load
from stargate_explainer.page_model import (
    FORMAT,
    PROBLEMS_SHOWN,
    build,
    build_for_file,
    equity_reports,
    problems_model,
)
from stargate_explainer.problems import DataError, Problem

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


def test_each_equity_report_holds_every_figure_standing_on_its_date(model, data):
    """Every figure reported stands from its date until its replacement's; the presets are
    these reports."""
    commitments = {c.id: c for c in data.document.commitments}
    equity = model["derived"]["equity"]
    for kind, field in (("amounts", "amount_usd_bn"), ("shares", "share_pct")):
        reported = {
            c.id
            for c in commitments.values()
            if c.kind == "equity" and c.to_id == "stargate" and getattr(c, field) is not None
        }
        assert {r for report in equity[kind] for r in report["records"]} == reported
        for report in equity[kind]:
            as_of = dt.date.fromisoformat(report["as_of"])
            standing = [commitments[r] for r in report["records"]]
            assert all(c.as_of <= as_of for c in standing)
            assert all(
                c.superseded_by is None or commitments[c.superseded_by].as_of > as_of
                for c in standing
            )
            assert len({c.org_id for c in standing}) == len(standing)
            assert report["total"] == pytest.approx(sum(getattr(c, field) for c in standing))
            preset = next(
                p
                for p in model["derived"]["presets"]
                if p["as_of"] == report["as_of"] and p["kind"] == kind
            )
            assert preset["records"] == report["records"]
            assert preset["unreported"] == report["unreported"]


def _commitment(template, **changes):
    return template.model_copy(update=changes)


def test_a_superseded_figure_stands_until_its_replacement_and_no_longer(data):
    document = data.document
    template = next(c for c in document.commitments if c.id == "oracle-equity-7b")
    day = dt.date(2025, 3, 1)
    first = _commitment(template, id="a-10", amount_usd_bn=10.0, as_of=day, superseded_by="a-12")
    replacement = _commitment(template, id="a-12", amount_usd_bn=12.0, as_of=day.replace(month=9))
    other = _commitment(
        template, id="b-5", org_id="mgx", amount_usd_bn=5.0, as_of=day.replace(month=6)
    )
    later = _commitment(template, id="a-15", amount_usd_bn=15.0, as_of=day.replace(month=11))
    changed = document.model_copy(update={"commitments": [first, replacement, other, later]})
    amounts = equity_reports(changed)["amounts"]
    assert [(r["as_of"], r["records"], r["total"]) for r in amounts] == [
        ("2025-03-01", ["a-10"], 10.0),
        ("2025-06-01", ["a-10", "b-5"], 15.0),
        ("2025-09-01", ["a-12", "b-5"], 17.0),
        ("2025-11-01", ["a-15", "b-5"], 20.0),  # the latest figure stands, linked or not
    ]
    assert equity_reports(changed)["shares"] == []


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


def test_invalid_data_gives_a_problems_model_naming_its_file(tmp_path):
    """The panel's model: the file's name and the problems as readers see them (what those
    lines may hold is `DataError.for_readers`'s, tested in test_validate)."""
    broken = tmp_path / "broken.yaml"
    broken.write_text((ROOT / "tests" / "bad_data" / "many_problems.yaml").read_text("utf-8"))
    model = build_for_file(broken)
    assert set(model) == {"format", "problems", "ui"}
    assert model["problems"]["file"] == "broken.yaml"
    assert model["problems"]["count"] == len(model["problems"]["items"]) > 1


def test_the_panel_shows_the_first_problems_and_counts_them_all():
    problems = [Problem("/srv/x/data.yaml", n, "f", "bad") for n in range(1, 500)]
    model = problems_model("/srv/x/data.yaml", problems)["problems"]
    assert model["count"] == 499
    assert model["items"] == DataError(problems).for_readers(PROBLEMS_SHOWN)
    assert len(model["items"]) == PROBLEMS_SHOWN


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
