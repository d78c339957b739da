"""Reads a YAML data file safely, in bounded time and memory, remembering the line of every value.

Hostile or broken files must end in a `Problem` naming file and line, never in a traceback or a
hang: size, encoding, nesting and alias expansion are all checked before plain Python objects
are built, and only YAML's safe types can be constructed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import settings
from .problems import Problem

FieldPath = tuple[str | int, ...]

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_TAG = "tag:yaml.org,2002:bool"
# YAML 1.1 reads `NO` (Norway), `yes`, `on` and `off` as booleans; the data has country codes.
_STRICT_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")

# Beyond this indentation no hand-written data file goes, and staying below it keeps the C
# parser's recursion far from the stack limit.
_MAX_INDENT_COLUMNS = 400


class _DataLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as strings (the schema parses and checks them) and reads
    only true/false as booleans."""


_DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_TIMESTAMP_TAG, _BOOL_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DataLoader.add_implicit_resolver(_BOOL_TAG, _STRICT_BOOL, list("tTfF"))


@dataclass(frozen=True)
class ParsedYaml:
    data: Any
    lines: dict[FieldPath, int]

    def line_of(self, path: FieldPath) -> int:
        """Line of the value at `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def read_yaml(path: Path) -> tuple[ParsedYaml | None, list[Problem]]:
    """Parse `path`; return the data with its line index, or the problems that stopped it."""
    name = str(path)

    def fail(line: int, message: str, field: str = "(file)") -> tuple[None, list[Problem]]:
        return None, [Problem(name, line, field, message)]

    if not path.is_file():
        return fail(1, "file not found" if not path.exists() else "not a regular file")
    size = path.stat().st_size
    limit = settings.MAX_FILE_BYTES.value()
    if size > limit:
        return fail(1, f"file is {size:,} bytes, over the {limit:,}-byte limit")
    raw = path.read_bytes()
    text, problem_line, problem = _decode(raw)
    if text is None:
        return fail(problem_line, problem)
    if not text.strip():
        return fail(1, "file is empty")
    too_deep = _first_too_deep_line(text)
    if too_deep:
        return fail(too_deep, "nesting or indentation is too deep")

    loader = _DataLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return fail(1, "file is empty (only comments)")
        expanded = _expanded_size(node)
        if expanded > settings.MAX_NODES.value():
            return fail(
                node.start_mark.line + 1,
                f"expands to more than {settings.MAX_NODES.value():,} values "
                "(aliases repeated too often)",
            )
        lines, problems = _index_lines(name, node)
        if problems:
            return None, problems
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(part for part in (error.context, error.problem) if part)
        if "\t" in "".join(text.splitlines()[line - 1 : line]):
            message += " (this line has a tab: indent with spaces)"
        return fail(line, f"YAML error: {message}", "(yaml)")
    except yaml.YAMLError as error:
        position = getattr(error, "position", 0) or 0
        return fail(text.count("\n", 0, position) + 1, f"YAML error: {error}", "(yaml)")
    finally:
        loader.dispose()
    return ParsedYaml(data, lines), []


def _decode(raw: bytes) -> tuple[str | None, int, str]:
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "UTF-32"),
        (b"\x00\x00\xfe\xff", "UTF-32"),
        (b"\xff\xfe", "UTF-16"),
        (b"\xfe\xff", "UTF-16"),
    ):
        if raw.startswith(bom):
            return None, 1, f"file is {encoding}-encoded; save it as UTF-8"
    try:
        return raw.decode("utf-8-sig"), 0, ""
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        byte = raw[error.start : error.start + 1].hex()
        return None, line, f"file is not valid UTF-8 (byte 0x{byte} on this line); save it as UTF-8"


def _first_too_deep_line(text: str) -> int:
    """First line whose flow brackets or indentation go past the limits, else 0.

    Checked on the text so that the parser never recurses deeply on a hostile file.
    """
    max_depth = settings.MAX_DEPTH.value()
    flow_depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.lstrip(" -?")
        if len(line) - len(content) > _MAX_INDENT_COLUMNS:
            return number
        for char in _outside_quotes(line):
            if char in "[{":
                flow_depth += 1
                if flow_depth > max_depth:
                    return number
            elif char in "]}":
                flow_depth = max(0, flow_depth - 1)
    return 0


def _outside_quotes(line: str) -> Iterator[str]:
    """The characters of `line` outside quoted scalars and comments. A quote opens a scalar only
    where a token starts (so the apostrophe in `It's` does not), and escaped quotes do not
    close one."""
    quote, previous, index = "", " ", 0
    while index < len(line):
        char = line[index]
        if quote:
            escaped_double = quote == '"' and char == "\\"
            doubled_single = char == quote == "'" and line[index + 1 : index + 2] == "'"
            if escaped_double or doubled_single:
                index += 1  # skip the escaped character
            elif char == quote:
                quote = ""
        elif char in "'\"" and previous in " \t[{,":
            quote = char
        elif char == "#" and previous in " \t":
            return
        else:
            yield char
        previous = char
        index += 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _expanded_size(root: yaml.Node) -> int:
    """Number of values the document would have with every alias copied out, computed once per
    distinct node so that an alias bomb costs linear time to detect."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _index_lines(name: str, root: yaml.Node) -> tuple[dict[FieldPath, int], list[Problem]]:
    """Map each field path to its 1-based line; report duplicate keys, complex keys and nesting
    past the depth limit (depth counts containers, so a record's field sits at depth 3)."""
    lines: dict[FieldPath, int] = {(): root.start_mark.line + 1}
    problems: list[Problem] = []
    max_depth = settings.MAX_DEPTH.value()
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, FieldPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        dotted = dotted_path(path) or "(document)"
        if len(path) > max_depth:
            problems.append(Problem(name, node.start_mark.line + 1, dotted, "nested too deeply"))
            continue
        if isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                lines[path + (index,)] = child.start_mark.line + 1
                stack.append((child, path + (index,)))
        elif isinstance(node, yaml.MappingNode):
            keys_seen: set[str] = set()
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(Problem(name, line, dotted, "a key must be plain text"))
                    continue
                key = key_node.value
                if key in keys_seen:
                    problems.append(
                        Problem(name, line, dotted_path(path + (key,)), "duplicate key")
                    )
                keys_seen.add(key)
                lines.setdefault(path + (key,), line)
                stack.append((value_node, path + (key,)))
    return lines, problems


def dotted_path(path: FieldPath) -> str:
    """`('events', 3, 'date')` → `events[3].date`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
