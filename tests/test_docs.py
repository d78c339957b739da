"""The README is the reader's contract: it must cover every setting, public column and target."""

from __future__ import annotations

import re

from stargate_explainer import COLUMNS
from stargate_explainer.settings import ALL_SETTINGS

from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def _readme_section(heading: str) -> str:
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", README, re.M | re.S)
    assert match, f"README has no section '{heading}'"
    return match.group(1)


def test_every_setting_is_documented_with_its_default():
    section = _readme_section("Settings")
    for setting in ALL_SETTINGS:
        row = next((line for line in section.splitlines() if f"`{setting.env}`" in line), None)
        assert row, f"{setting.env} is not in the README's settings table"
        default = setting.default
        shown = default.name if hasattr(default, "name") else str(default)
        assert shown in row, f"README gives the wrong default for {setting.env}"


def test_every_public_column_is_documented():
    section = _readme_section("Public columns")
    for table, columns in COLUMNS.items():
        table_part = section.split(f"**`{table}`**", 1)
        assert len(table_part) == 2, f"table {table} is not documented"
        documented = re.findall(r"^\| `([a-z_]+)` \|", table_part[1].split("**`", 1)[0], re.M)
        assert documented == list(columns), f"README columns of {table} differ from COLUMNS"


def test_every_make_target_is_documented():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    phony = re.search(r"^\.PHONY: (.*)$", makefile, re.M).group(1).split()
    for target in phony:
        assert f"`make {target}`" in README, f"make {target} is not in the README"


def test_quick_start_comes_first_with_the_two_commands():
    quick = _readme_section("Quick start")
    assert "make serve" in quick and "make test" in quick


def test_every_link_parameter_is_documented():
    from stargate_explainer.state import ViewState

    section = _readme_section("Link parameters")
    full = ViewState(
        view="funding",
        lang="ja",
        currency="JPY",
        preset="equal",
        split={"a": 100},
        total=300,
        start="2025-01",
        end="2025-02",
        lanes=(),
        node="oracle",
        event="x",
        embed=True,
    )
    names = [part.split("=", 1)[0] for part in full.to_query().split("&")]
    assert len(names) == len(ViewState.__dataclass_fields__)
    for name in names:
        assert f"`{name}`" in section, f"link parameter {name} is not in the README"
