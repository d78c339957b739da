from __future__ import annotations

import json
from pathlib import Path

from stargate_explainer.schema import TABLES, json_schema_text

ROOT = Path(__file__).resolve().parent.parent


def test_committed_json_schema_is_up_to_date():
    committed = (ROOT / "data" / "stargate.schema.json").read_text("utf-8")
    assert committed == json_schema_text(), "run `make schema` and commit the result"


def test_schema_covers_every_table():
    schema = json.loads(json_schema_text())
    assert set(schema["properties"]) == {"meta", *TABLES}


def test_data_file_points_editors_at_the_schema():
    first = (ROOT / "data" / "stargate.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./stargate.schema.json"
