"""Data-quality rules for data/stargate.yaml (issue 14).

Each rule is a plain function over the loaded YAML mapping that returns the offending
records; the tests assert that the real dataset has none, and show that every rule
fires on a deliberately broken copy written to a temporary file.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "stargate.yaml"

DATED_SHARE = 0.95
MILESTONES = range(8, 13)
COPY_KINDS = {"aggregator", "repost"}
CITING_TABLES = (
    "organisations",
    "people",
    "commitments",
    "events",
    "market_moves",
    "claims",
    "fx",
    "comparisons",
    "corrections",
)
NO_ORIGINAL = re.compile(
    r"original|not (?:be )?opened|could not|paywall|not found|not identified",
    re.IGNORECASE,
)


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


def _record_label(table: str, index: int, record: dict) -> str:
    return f"{table}:{record.get('id', index)}"


def _cited(record: dict) -> list[str]:
    return list(record.get("sources") or []) + list(record.get("verdict_sources") or [])


# --- rules ------------------------------------------------------------------------


def dated_share(data: dict) -> float:
    sources = data["sources"]
    return sum(1 for s in sources if s.get("date_published")) / len(sources)


def copies_cited_without_original(data: dict) -> list[str]:
    """Records citing a copy (`archived_copy_of`) without also citing its original."""
    original_of = {
        s["id"]: s["archived_copy_of"] for s in data["sources"] if s.get("archived_copy_of")
    }
    bad = []
    for table in CITING_TABLES:
        for index, record in enumerate(data.get(table) or []):
            cited = set(_cited(record))
            for source_id in sorted(cited):
                original = original_of.get(source_id)
                if original and original not in cited:
                    bad.append(f"{_record_label(table, index, record)} cites {source_id}")
    return bad


def copies_without_reason(data: dict) -> list[str]:
    """Aggregator/repost sources with neither `archived_copy_of` nor a note on the original."""
    return [
        s["id"]
        for s in data["sources"]
        if s.get("kind") in COPY_KINDS
        and not s.get("archived_copy_of")
        and not NO_ORIGINAL.search(s.get("note") or "")
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


def test_most_sources_are_dated(data):
    undated = [s["id"] for s in data["sources"] if not s.get("date_published")]
    assert dated_share(data) >= DATED_SHARE, f"{len(undated)} undated: {undated}"


def test_copies_are_cited_with_their_originals(data):
    assert copies_cited_without_original(data) == []


def test_every_copy_says_where_its_original_is_or_why_not(data):
    assert copies_without_reason(data) == []


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


def test_dated_share_rule_fails_on_a_broken_copy(data, tmp_path):
    def breaker(broken):
        for source in broken["sources"][: len(broken["sources"]) // 10]:
            source["date_published"] = None

    assert dated_share(_broken(data, tmp_path, breaker)) < DATED_SHARE


def test_copy_citation_rule_fails_on_a_broken_copy(data, tmp_path):
    def breaker(broken):
        original = broken["sources"][0]["id"]
        broken["sources"][1]["archived_copy_of"] = original
        broken["events"][0]["sources"] = [broken["sources"][1]["id"]]

    bad = copies_cited_without_original(_broken(data, tmp_path, breaker))
    assert any(item.startswith("events:") for item in bad)


def test_copy_reason_rule_fails_on_a_broken_copy(data, tmp_path):
    def breaker(broken):
        source = broken["sources"][0]
        source.update(kind="aggregator", note="Copied text.")
        source.pop("archived_copy_of", None)

    assert data["sources"][0]["id"] in copies_without_reason(_broken(data, tmp_path, breaker))


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
