from __future__ import annotations

import pandas as pd
import pytest

import stargate_explainer
from stargate_explainer import COLUMNS, DataError, Dataset, load

FUNDERS = {"softbank", "openai", "oracle", "mgx"}
TECHNOLOGY_PARTNERS = {"arm", "microsoft", "nvidia", "oracle", "openai"}


def test_every_table_has_exactly_the_public_columns(minimal_path):
    dataset = load(minimal_path)
    assert set(Dataset.table_names()) == set(COLUMNS)
    for table, columns in COLUMNS.items():
        assert list(getattr(dataset, table).columns) == list(columns), table


def test_dates_are_datetimes_and_sources_are_tuples(minimal_path):
    dataset = load(minimal_path)
    assert pd.api.types.is_datetime64_any_dtype(dataset.events["date"])
    assert pd.api.types.is_datetime64_any_dtype(dataset.sources["date_published"])
    assert dataset.events.loc[0, "date"] == pd.Timestamp("2025-01-21")
    assert dataset.market_moves.loc[0, "source_ids"] == ("src-a",)
    assert dataset.claims.set_index("id").loc["cl-b", "replies_to"] == "cl-a"
    assert dataset.corrections.loc[0, "said_original"] == "英NVIDIA"


def test_unreported_numbers_are_missing_not_zero(minimal_path):
    dataset = load(minimal_path)
    assert pd.isna(dataset.events.set_index("id").loc["ev-b", "amount_usd_bn"])
    assert dataset.commitments.loc[0, "amount_usd_bn"] == 19


def test_environment_variable_chooses_the_file(minimal_path, monkeypatch):
    monkeypatch.setenv("STARGATE_DATA", str(minimal_path))
    assert stargate_explainer.load().path == minimal_path


def test_invalid_file_raises_data_error_with_every_problem(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("meta: {}\n")
    with pytest.raises(DataError) as caught:
        load(path)
    assert len(caught.value.problems) > 5
    assert str(caught.value.problems[0]).startswith(f"{path}:1: ")


@pytest.fixture(scope="module")
def real():
    return load()


def test_real_dataset_meets_the_coverage_goals(real):
    counts = real.counts()
    assert counts["sources"] >= 30
    assert counts["events"] >= 35
    assert counts["market_moves"] >= 12
    assert counts["claims"] >= 10


def test_real_dataset_names_all_funders_and_technology_partners(real):
    commitments = real.commitments
    equity = set(commitments.loc[commitments["kind"] == "equity", "org_id"])
    technology = set(commitments.loc[commitments["kind"] == "technology", "org_id"])
    assert equity >= FUNDERS
    assert technology >= TECHNOLOGY_PARTNERS


def test_real_timeline_runs_from_the_2024_plan_past_the_announcement(real):
    events = real.events
    assert events["date"].min() < pd.Timestamp("2025-01-01")
    assert (events["date"] > pd.Timestamp("2025-01-21")).any()
    assert events["planned"].any() and (~events["planned"]).any()


def test_every_cited_source_is_listed_and_every_listed_source_is_cited(real):
    """A source is cited by a record (its `sources` or a claim's `verdict_sources`), or kept as
    the copy of an original that is (`archived_copy_of`)."""
    cited = {
        source_id
        for table in Dataset.table_names()
        for column in ("source_ids", "verdict_source_ids")
        if column in COLUMNS[table]
        for ids in getattr(real, table)[column]
        for source_id in ids
    }
    copies = set(real.sources.loc[real.sources["archived_copy_of"].isin(cited), "id"])
    assert cited | copies == set(real.sources["id"])
