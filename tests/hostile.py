"""A dataset with HTML/JS payloads in every text field, for the cross-site-scripting tests."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .conftest import ROOT

# Each payload sets window.__xss if it ever runs.
PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
_KEEP = {
    "id",
    "domain",
    "url",
    "lang",
    "language",
    "kind",
    "status",
    "verdict",
    "outcome",
    "lane",
    "date_precision",
    "country",
    "series",
}
_REFERENCES = {
    "org_id",
    "to_id",
    "speaker_id",
    "replies_to",
    "org_ids",
    "sources",
    "verdict_sources",
    "outcome_event_id",
    "superseded_by",
    "archived_copy_of",
    "syndicated_from",
}


def _poisoned(value, key: str = ""):
    if key in _KEEP | _REFERENCES:
        return value
    if isinstance(value, dict):
        return {k: _poisoned(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poisoned(v) for v in value]
    if isinstance(value, str) and not re.fullmatch(
        r"[a-z0-9._-]+|\d{4}-\d\d-\d\d|[A-Z]{2,3}", value
    ):
        return value + PAYLOAD
    return value


def hostile_dataset(directory: Path) -> Path:
    """The real dataset with the payload appended to every text (Japanese stays Japanese, ids
    and references stay valid), written to `directory`."""
    document = yaml.safe_load((ROOT / "data" / "stargate.yaml").read_text("utf-8"))
    poisoned = {
        table: rows if table == "meta" else _poisoned(rows) for table, rows in document.items()
    }
    path = directory / "hostile.yaml"
    path.write_text(yaml.safe_dump(poisoned, allow_unicode=True), encoding="utf-8")
    return path
