from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml

from stargate_explainer import yaml_reader
from stargate_explainer.problems import escape_controls
from stargate_explainer.yaml_reader import dotted_path, read_yaml


def test_values_keep_their_lines(minimal_path):
    parsed, problems = read_yaml(minimal_path)
    assert problems == []
    text = minimal_path.read_text("utf-8").splitlines()
    line = parsed.line_of(("events", 1, "date"))
    assert text[line - 1].strip() == 'date: "2028-01-01"'


def test_missing_path_falls_back_to_nearest_ancestor(minimal_path):
    parsed, _ = read_yaml(minimal_path)
    assert parsed.line_of(("events", 1, "no_such_field")) == parsed.line_of(("events", 1))


def test_dates_stay_text_and_norway_is_not_false(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: 2025-01-21\nb: NO\nc: yes\nd: true\n")
    parsed, problems = read_yaml(path)
    assert problems == []
    assert parsed.data == {"a": "2025-01-21", "b": "NO", "c": "yes", "d": True}


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    parsed, problems = read_yaml(path)
    assert problems == [] and parsed.data == {"a": 1}


def test_dotted_path():
    assert dotted_path(("events", 3, "title", "ja")) == "events[3].title.ja"
    assert dotted_path(()) == ""


def test_apostrophes_and_escaped_quotes_do_not_count_as_nesting(tmp_path):
    path = tmp_path / "quotes.yaml"
    lines = ["items:"] + [
        f"  - {{en: It's line {i}, ja: \"引用\\\"{i}\\\"\", note: 'it''s'}} # [" for i in range(80)
    ]
    path.write_text("\n".join(lines) + "\n")
    parsed, problems = read_yaml(path)
    assert problems == []
    assert parsed.data["items"][79]["en"] == "It's line 79"


LOADERS = [yaml.CSafeLoader, yaml.SafeLoader]


@pytest.fixture(params=LOADERS, ids=["libyaml", "pure-python"])
def loader(request, monkeypatch):
    """Every test using this runs with libyaml's parser and with PyYAML's pure-Python one."""
    monkeypatch.setattr(yaml_reader, "LOADER", request.param)
    return request.param


def _read(tmp_path: Path, text: str):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path)


def test_plain_scalars_follow_yaml_1_2(tmp_path, loader):
    expected = {
        "~": None, "null": None, "Null": None, "NULL": None, "": None,
        "true": True, "False": False, "TRUE": True,
        "yes": "yes", "no": "no", "on": "on", "off": "off", "NO": "NO", "y": "y",
        "0": 0, "-7": -7, "+12": 12, "19": 19,
        "7.25": 7.25, "-0.5": -0.5, ".5": 0.5, "5.": 5.0, "1e3": 1000.0, "2.5E-2": 0.025,
        ".inf": math.inf, "-.Inf": -math.inf,
        "2025-01-21": "2025-01-21", "12:00-13:00": "12:00-13:00", "'040'": "040",
        "1.2.3": "1.2.3", "=": "=", "<<": "<<", "0x": "0x", "-x": "-x", "+.": "+.",
    }  # fmt: skip
    parsed, problems = _read(tmp_path, "".join(f"- {text}\n" for text in expected))
    assert problems == []
    assert parsed.data == list(expected.values())
    assert [type(value) for value in parsed.data] == [type(v) for v in expected.values()]
    parsed, _ = _read(tmp_path, "- .nan\n")
    assert math.isnan(parsed.data[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 0b101\n", "1: a: '0b101' is a binary number (5): write 5, or quote it"),
        ("a: 0o17\n", "1: a: '0o17' is an octal number (15): write 15, or quote it"),
        (
            "a: -040\n",
            "1: a: '-040' has a leading zero, which YAML 1.1 reads as the octal number -32",
        ),
        ("a: 089\n", "1: a: '089' has a leading zero, which YAML 1.1 reads as text and YAML 1.2"),
        ("a: 0x_\n", "1: a: '0x_' looks like a number but is none: quote it ('0x_')"),
        ("a: 1_000\n", "1: a: '1_000' has '_' between digits, which YAML 1.1 drops (1000)"),
        ("a: -1:30:00\n", "1: a: '-1:30:00' is a base-60 number in YAML 1.1 (-5400)"),
        ("a: *nowhere\n", "1: (yaml): alias '*nowhere' names no anchor defined before it"),
        ("? [a]\n: 1\n", "1: (document): a key must be plain text"),
        ("a: &k x\n*k : 1\n", "2: (document): a key must be plain text"),
        ("a: ! x\n", "1: a: explicit tag '!' is not allowed"),
        ("a: !<tag:example.com,2000:x> x\n", "1: a: explicit tag 'tag:example.com,2000:x'"),
        ('a: "\\N"\n', "1: a: contains the control character U+0085 (NEL): remove it"),
        ("a: x\u2069\n", "1: a: contains the bidirectional control U+2069 (POP DIRECTIONAL"),
        ("a:\n  b:\n    c: 1\n    c: 2\n", "4: a.b.c: duplicate key"),
        ("a: 1\n---\n", "2: (yaml): a second YAML document starts here"),
        ("a: \ufffe\n", "1: (file): the character U+FFFE is not allowed in the file: remove it"),
        # Python refuses int() of over 4,300 digits: once a traceback, now a problem.
        ("a: " + "1" * 5000 + "\n", "1: a: '11111111111111111111…' is a number 5,000 characters"),
        ("a: 0x" + "F" * 5000 + "\n", "1: a: '0xFFFFFFFFFFFFFFFFFF…' is a number 5,002 characters"),
    ],
)
def test_what_the_reader_refuses(tmp_path, loader, text, expected):
    parsed, problems = _read(tmp_path, text)
    assert parsed is None
    assert len(problems) == 1, problems
    assert escape_controls(
        f"{problems[0].line}: {problems[0].field}: {problems[0].message}"
    ).startswith(expected)


def test_both_parsers_read_the_real_dataset_as_pyyaml_did(real_path, monkeypatch):
    """Same values as the PyYAML loader the reader replaced (dates as text, only true/false
    as booleans): reading by events changed no value of the curated data."""

    class Before(yaml.SafeLoader):
        pass

    Before.yaml_implicit_resolvers = {
        first: [
            (tag, regexp)
            for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Before.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    before = yaml.load(real_path.read_text("utf-8"), Loader=Before)
    for parser in LOADERS:
        monkeypatch.setattr(yaml_reader, "LOADER", parser)
        parsed, problems = read_yaml(real_path)
        assert problems == []
        assert parsed.data == before


def test_lines_are_indexed_only_when_asked(minimal_path, loader):
    parsed, _ = read_yaml(minimal_path)
    assert "lines" not in vars(parsed)  # a valid file is read once
    assert parsed.line_of(("sources", 0, "url")) == 16
    assert parsed.lines[("sources", 0)] == 14
