"""The documentation is the reader's contract: it must cover every setting, public column, make
target and link parameter, and every link in it must lead somewhere. The README is the first
screen (what the project is, the two commands, where the rest lives); the rest is in docs/."""

from __future__ import annotations

import re
from pathlib import Path

from stargate_explainer import COLUMNS
from stargate_explainer.settings import ALL_SETTINGS

from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))  # docs/research/ holds research logs, not reference
EVERYTHING = "\n".join([README, *(path.read_text("utf-8") for path in DOCS)])
# The README's first screen: what fits in a terminal or above the fold on GitHub.
FIRST_SCREEN = 40


def _readme_section(heading: str) -> str:
    """The section under `heading`, in the README or any file of docs/."""
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", EVERYTHING, re.M | re.S)
    assert match, f"no section '{heading}' in README.md or docs/"
    return match.group(1)


def _written(default) -> str:
    """A default as the settings table writes it."""
    if isinstance(default, Path):
        return f"`{default.relative_to(ROOT).as_posix()}`"
    return "(empty)" if default == "" else str(default)


def test_every_setting_is_documented_with_its_default():
    section = _readme_section("Settings")
    for setting in ALL_SETTINGS:
        row = next((line for line in section.splitlines() if f"| `{setting.env}` |" in line), None)
        assert row, f"{setting.env} is not in the settings table"
        # The default column holds the default, perhaps glossed: `33554432 (32 MiB)`.
        cell = row.split("|")[2].strip()
        assert re.fullmatch(rf"{re.escape(_written(setting.default))}( \(.+\))?", cell), (
            f"the settings table gives {cell!r} as the default of {setting.env}"
        )


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
        assert f"`make {target}`" in EVERYTHING, f"make {target} is not documented"


def test_the_readme_first_screen_says_what_it_is_how_to_run_it_and_where_the_rest_is():
    first = "\n".join(README.splitlines()[:FIRST_SCREEN])
    assert first.startswith("# Stargate Explained\n")
    quick = re.search(r"^## Quick start\n(.*?)(?=^## |\Z)", first, re.M | re.S)
    assert quick, "the quick start is not on the README's first screen"
    assert "make serve" in quick.group(1) and "make test" in quick.group(1)
    linked = set(re.findall(r"\]\((docs/[^)#]+)", first))
    assert {f"docs/{path.name}" for path in DOCS} <= linked, "a docs/ file is not listed"
    assert len(README.splitlines()) <= FIRST_SCREEN, "the README is more than its first screen"


def test_every_relative_link_in_the_documentation_resolves():
    for path in [ROOT / "README.md", *DOCS]:
        text = path.read_text("utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            file = target.split("#", 1)[0]
            assert (path.parent / file).exists(), f"{path.relative_to(ROOT)}: {target} is missing"


def test_docs_files_named_in_backticks_exist():
    """Paths of docs/ files named in backticks (as the README used to) exist too."""
    for name in set(re.findall(r"`(docs/[\w./-]+\.md)`", EVERYTHING)):
        assert (ROOT / name).exists(), name


def test_every_link_parameter_is_documented():
    from stargate_explainer.state import FIELDS

    section = _readme_section("Link parameters")
    for field in FIELDS:
        assert f"`{field.link}`" in section, f"link parameter {field.link} is not in the README"


def _contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two `#rrggbb` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_series_colours_contrast_is_documented_as_measured():
    """docs/dashboard.md states which series colours fall short of WCAG 1.4.11's 3:1 against
    the light theme's background or panel, and that all pass in the dark theme: each ratio it
    gives is the one computed from the runtime's palette and stylesheet, and every colour that
    falls short is named."""
    runtime = ROOT / "stargate_explainer" / "static" / "runtime"
    palette = re.findall(
        r"#[0-9A-Fa-f]{6}",
        re.search(r"PALETTE = \[(.*?)\]", (runtime / "common.js").read_text("utf-8")).group(1),
    )
    css = (runtime / "style.css").read_text("utf-8")
    light, dark = (
        re.search(rf"{re.escape(block)} \{{(.*?)\}}", css, re.S).group(1)
        for block in (".sg-app", '.sg-app[data-sg-theme="dark"]')
    )
    grounds = {
        theme: [
            re.search(rf"--sg-{name}: (#[0-9a-f]{{6}});", text).group(1)
            for name in ("bg", "surface")
        ]
        for theme, text in (("light", light), ("dark", dark))
    }
    stated = dict(
        re.findall(
            r"`(#[0-9A-Fa-f]{6})` (\d+\.\d\d):1",
            (ROOT / "docs" / "dashboard.md").read_text("utf-8"),
        )
    )
    short = {
        colour
        for colour in palette
        if min(_contrast(colour, ground) for ground in grounds["light"]) < 3
    }
    assert short and short == set(stated), (short, stated)
    for colour, ratio in stated.items():
        assert float(ratio) in {
            round(_contrast(colour, ground), 2) for ground in grounds["light"]
        }, colour
    assert all(_contrast(colour, ground) >= 3 for colour in palette for ground in grounds["dark"])
