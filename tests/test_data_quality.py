"""Data-quality rules for data/stargate.yaml (issues 14 and 19).

The rules that every file must obey (a publisher for every source, an original behind every
fact, a copy cited beside its original) are the validator's; here the tests show, on broken
copies of the real dataset, that it fails with messages naming the record and the publisher.
The curation goals (dated sources, events sourced after the fact, the number of milestones) are
plain functions over the loaded YAML, asserted on the real dataset and shown to fire on a
broken copy written to a temporary file.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from stargate_explainer import load
from stargate_explainer.originals import WEAK_KINDS, citing_tables
from stargate_explainer.validate import validate_file

DATA = Path(__file__).resolve().parents[1] / "data" / "stargate.yaml"

DATED_SHARE = 0.95
MILESTONES = range(8, 13)
CITING_TABLES = (
    "organisations",
    "people",
    "commitments",
    "events",
    "market_moves",
    "claims",
    "fx",
    "comparisons",
    "price_index",
    "corrections",
)
# A note that says what a copy or summary rests on, or that its source could not be found.
NO_ORIGINAL = re.compile(
    r"original|not (?:be )?opened|could not|paywall|not found|not identified|names no source"
    r"|cop(?:y|ies)|summar|relay|rewrite|republi",
    re.IGNORECASE,
)
# Blogs are commentary in their own words; copies and summaries say what they rest on.
COPYING_KINDS = tuple(kind for kind in WEAK_KINDS if kind != "blog")


def _load(path: Path = DATA) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _period_start(value, precision: str) -> dt.date:
    day = _date(value)
    if precision == "month":
        return day.replace(day=1)
    if precision == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if precision == "year":
        return dt.date(day.year, 1, 1)
    return day


def dated_share(path: Path = DATA) -> float:
    """The share of reporting sources with a publication date (a public body's reference page
    is read as it stands; see `originals.quality`)."""
    return load(path).quality()["reporting_dated_share"]


def weak_sources_without_reason(path: Path = DATA) -> list[str]:
    """Reposts, aggregators and content farms that neither copy a source in the file
    (`archived_copy_of`) nor say in their note what they copy or summarise."""
    sources = load(path).sources
    weak = sources[sources["kind"].isin(COPYING_KINDS)]
    return [
        row.id
        for row in weak.itertuples()
        if pd.isna(row.archived_copy_of) and not NO_ORIGINAL.search(str(row.note or ""))
    ]


def events_sourced_only_before(data: dict) -> list[str]:
    """Happened events whose every source was published before the event (period start)."""
    published = {s["id"]: s.get("date_published") for s in data["sources"]}
    bad = []
    for event in data["events"]:
        if event.get("planned"):
            continue
        start = _period_start(event["date"], event.get("date_precision", "day"))
        dates = [published.get(source_id) for source_id in event.get("sources") or []]
        if any(not d or _date(d) >= start for d in dates):
            continue
        bad.append(event["id"])
    return bad


def milestone_count(data: dict) -> int:
    return sum(1 for e in data["events"] if e.get("milestone"))


# --- the real dataset ---------------------------------------------------------------


@pytest.fixture(scope="module")
def data() -> dict:
    return _load()


def test_most_sources_are_dated():
    assert dated_share() >= DATED_SHARE


def test_the_rule_covers_every_table_that_cites_sources():
    assert tuple(citing_tables(load().document)) == CITING_TABLES


def test_every_fact_cites_an_original_or_says_why_not():
    quality = load().quality()
    assert quality["on_originals"] + quality["no_original"] == quality["facts"]
    assert quality["on_originals_share"] >= 0.95, "marking is the exception, not the rule"


def test_every_weak_source_says_what_it_copies_or_summarises():
    assert weak_sources_without_reason() == []


def test_happened_events_cite_a_source_from_on_or_after_the_event(data):
    assert events_sourced_only_before(data) == []


def test_milestones_number_eight_to_twelve(data):
    assert milestone_count(data) in MILESTONES


# --- each rule fails on a broken copy -------------------------------------------------


def _broken(data: dict, tmp_path: Path, breaker) -> dict:
    broken = copy.deepcopy(data)
    breaker(broken)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return _load(path)


def _problems(data: dict, tmp_path: Path, breaker) -> list[str]:
    broken = copy.deepcopy(data)
    breaker(broken)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True, sort_keys=False), encoding="utf-8")
    document, problems = validate_file(path)
    assert document is None
    return [f"{p.field}: {p.message}" for p in problems]


def _first(rows: list[dict], **where) -> dict:
    return next(r for r in rows if all(r.get(k) == v for k, v in where.items()))


def test_a_fact_on_weak_sources_only_fails_naming_the_record_and_publishers(data, tmp_path):
    def breaker(broken):
        event = _first(broken["events"], id="stargate-announced")
        event["sources"] = ["menafn-mint", "newsbytes-wsj"]

    problems = _problems(data, tmp_path, breaker)
    assert len(problems) == 1, problems
    assert problems[0].startswith("events[")
    assert "event 'stargate-announced' cites no original source" in problems[0]
    assert "menafn.com (a repost)" in problems[0]
    assert "newsbytesapp.com (an aggregator)" in problems[0]


def test_a_publisher_without_a_kind_fails_naming_it(data, tmp_path):
    def breaker(broken):
        del _first(broken["publishers"], domain="menafn.com")["kind"]

    problems = _problems(data, tmp_path, breaker)
    assert len(problems) == 1, problems
    assert problems[0].startswith("publishers[") and ".kind: missing required field" in problems[0]
    assert "'menafn.com'" in problems[0]


def test_a_source_on_a_host_no_publisher_covers_fails_naming_it(data, tmp_path):
    def breaker(broken):
        _first(broken["sources"], id="menafn-mint")["url"] = "https://example.org/copied"

    problems = _problems(data, tmp_path, breaker)
    assert len(problems) == 1, problems  # the records citing it are not reported twice
    assert (
        problems[0].startswith("sources[")
        and ".url: source 'menafn-mint' is on 'example.org'" in (problems[0])
    )


def test_a_copy_cited_without_its_original_fails_naming_the_record_and_publisher(data, tmp_path):
    def breaker(broken):
        _first(broken["events"], id="stargate-norway-microsoft")["sources"] = ["cnbc-norway-copy"]

    problems = _problems(data, tmp_path, breaker)
    assert len(problems) == 1, problems
    assert "event 'stargate-norway-microsoft' cites 'cnbc-norway-copy' on" in problems[0]
    assert (
        "vmvirtualmachine.com, a copy of 'cnbc-norway' (cnbc.com), without its original"
        in (problems[0])
    )


def test_a_copy_of_a_missing_original_fails(data, tmp_path):
    def breaker(broken):
        _first(broken["sources"], id="cnbc-norway-copy")["archived_copy_of"] = "cnbc-gone"

    problems = _problems(data, tmp_path, breaker)
    assert any("archived_copy_of: unknown source id 'cnbc-gone'" in p for p in problems), problems


def test_a_marked_fact_that_cites_an_original_fails(data, tmp_path):
    def breaker(broken):
        event = _first(broken["events"], id="ohio-10gw-lease-talks")
        event["sources"] = [*event["sources"], "cna-michigan"]

    problems = _problems(data, tmp_path, breaker)
    assert len(problems) == 1, problems
    assert (
        "no_original: event 'ohio-10gw-lease-talks' cites an original, 'cna-michigan'"
        in (problems[0])
    )


def test_a_weak_source_without_a_reason_is_found(data, tmp_path):
    broken = copy.deepcopy(data)
    _first(broken["sources"], id="menafn-mint")["note"] = "Copied text."
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert weak_sources_without_reason(path) == ["menafn-mint"]


def test_dated_share_rule_fails_on_a_broken_copy(data, tmp_path):
    broken = copy.deepcopy(data)
    for source in broken["sources"][: len(broken["sources"]) // 10]:
        source["date_published"] = None
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert dated_share(path) < DATED_SHARE


def test_event_date_rule_fails_on_a_broken_copy(data, tmp_path):
    def breaker(broken):
        event = next(e for e in broken["events"] if not e["planned"])
        dated = [s for s in broken["sources"] if s.get("date_published")]
        oldest = min(dated, key=lambda s: str(s["date_published"]))
        day_after = _date(oldest["date_published"]) + dt.timedelta(days=1)
        event.update(date=str(day_after), date_precision="day", sources=[oldest["id"]])

    first_happened = next(e["id"] for e in data["events"] if not e["planned"])
    assert first_happened in events_sourced_only_before(_broken(data, tmp_path, breaker))


def test_event_date_rule_uses_the_period_start_for_coarse_dates():
    data = {
        "sources": [{"id": "s", "date_published": "2025-03-10"}],
        "events": [
            {
                "id": "e",
                "date": "2025-03-31",
                "date_precision": "month",
                "planned": False,
                "sources": ["s"],
            },
        ],
    }
    assert events_sourced_only_before(data) == []
    data["events"][0]["date_precision"] = "day"
    assert events_sourced_only_before(data) == ["e"]


def test_milestone_rule_fails_on_a_broken_copy(data, tmp_path):
    def breaker(broken):
        for event in broken["events"]:
            event["milestone"] = True

    assert milestone_count(_broken(data, tmp_path, breaker)) not in MILESTONES
