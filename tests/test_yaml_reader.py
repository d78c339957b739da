from __future__ import annotations

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
