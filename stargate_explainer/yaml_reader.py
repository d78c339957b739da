"""Reads a YAML data file safely, in bounded time and memory, remembering the line of every value.

Hostile or broken files must end in a `Problem` naming file and line, never in a traceback or a
hang. The file is read as a stream of parser events and built into plain Python values in one
pass, with no recursion, so that every limit is checked as the value that breaks it is read:
size and encoding before parsing; nesting depth, the number of records and the number of values
(aliases counted as copies) while reading, stopping at the first value past a limit.

Only plain data is accepted: text, numbers, true/false, null, lists and mappings. Explicit tags
(`!!binary`, `!!set`, `!tag`), merge keys (`<<`), duplicate keys, control and bidirectional
characters, and numbers that YAML 1.1 and YAML 1.2 read differently (`040`, `0x1F`, `1:30`,
`1_000`) are problems. Plain scalars follow the YAML 1.2 core schema, so `NO` and `yes` stay
text and dates stay text for the schema to check.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from . import settings
from .problems import BIDI_CONTROLS, Problem, ProblemCollector

FieldPath = tuple[str | int, ...]

# Only the event parser of the loader is used (libyaml's when PyYAML was built with it); the
# values are built here. Tests set this to `yaml.SafeLoader` to check the pure-Python parser.
LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Characters refused in any text, key, id or URL: C0 controls except tab and newline, DEL, C1
# controls, the bidirectional controls and lone surrogates.
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_CONTROL_NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR",
    0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI",
}  # fmt: skip

# YAML 1.2 core schema for plain scalars.
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = dict.fromkeys(("true", "True", "TRUE"), True) | dict.fromkeys(
    ("false", "False", "FALSE"), False
)
_NUMBER_START = frozenset("-+.0123456789")
_MAX_NUMBER_LENGTH = 40
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_PREFIXED = re.compile(r"[-+]?0(?:x[0-9a-fA-F_]+|o[0-7_]+|b[01_]+)")
_PREFIX_NAMES = {"x": "a hexadecimal", "o": "an octal", "b": "a binary"}
# What YAML 1.1 (PyYAML's resolver) reads as a number: anything it matches that the YAML 1.2
# patterns above do not is refused rather than read either way.
_YAML11_NUMBER = re.compile(
    r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
    r"|[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
)


@dataclass(frozen=True)
class ParsedYaml:
    data: Any
    text: str = field(repr=False)

    @cached_property
    def lines(self) -> dict[FieldPath, int]:
        """The line of every value, by field path. Found by reading the text a second time:
        only a file with problems needs it, and indexing a valid file as it is read cost a
        seventh of the reading time, more than in proportion for a large file."""
        lines: dict[FieldPath, int] = {}
        loader = LOADER(self.text)
        try:
            with collection_paused():
                _build(loader, "", ProblemCollector(), lines)
        finally:
            loader.dispose()
        return lines

    def line_of(self, path: FieldPath) -> int:
        """Line of the value at `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


class _Stop(Exception):
    """A problem after which the rest of the file is not read."""

    def __init__(self, line: int, message: str, field: str = "(file)"):
        super().__init__(message)
        self.line, self.message, self.field = line, message, field


class _Number(ValueError):
    """A plain scalar that YAML 1.1 and YAML 1.2 read as different values."""


class _Open:
    """A list or mapping being read."""

    __slots__ = ("value", "path", "size", "anchor", "is_map", "key", "has_key")

    def __init__(self, value: list | dict, path: FieldPath, anchor: str | None):
        self.value = value
        self.path = path
        self.size = 1  # values inside, itself included, aliases counted as copies
        self.anchor = anchor
        self.is_map = isinstance(value, dict)
        self.key: str = ""
        self.has_key = False


def read_yaml(path: Path) -> tuple[ParsedYaml | None, list[Problem]]:
    """Parse `path`; return the data with its line index, or the problems that stopped it
    (sorted, at most `problems.PROBLEM_LIMIT` of them, with `total` counting all)."""
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
    unprintable = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if unprintable:
        line = text.count("\n", 0, unprintable.start()) + 1
        return fail(line, f"{_describe(unprintable.group())} is not allowed in the file: remove it")

    problems = ProblemCollector()
    loader = LOADER(text)
    try:
        with collection_paused():
            found, data = _build(loader, name, problems)
        if not found:
            return fail(1, "file is empty (only comments)")
    except _Stop as stop:
        return fail(stop.line, stop.message, stop.field)
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
    if problems:
        return None, problems.result()
    return ParsedYaml(data, text), []


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is read and validated: a large file
    makes millions of lists, dicts, parser events and records, none of them in a cycle (an
    alias loop is refused), and the collector's repeated passes over them made reading and
    validating grow faster than the file (three to four times the time at 100x the real
    dataset)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(
    loader: Any, name: str, problems: ProblemCollector, lines: dict[FieldPath, int] | None = None
) -> tuple[bool, Any]:
    """Build the document from the parser's events; return (found a document, data), and fill
    `lines` (when given) with the line of every value by field path.

    Problems that leave the values readable (a duplicate key, a tag, a control character, an
    ambiguous number) are collected; past a limit, or where nothing sensible can follow, `_Stop`
    ends the reading at that line.
    """
    max_depth = settings.MAX_DEPTH.value()
    max_values = settings.MAX_NODES.value()
    max_records = settings.MAX_RECORDS.value()
    anchors: dict[str, tuple[Any, int | None]] = {}  # value, size (None while still open)
    stack: list[_Open] = []
    values = records = 0

    def problem(event: Any, path: FieldPath, message: str) -> None:
        line = event.start_mark.line + 1
        problems.append(Problem(name, line, dotted_path(path) or "(document)", message))

    get_event = loader.get_event
    get_event()  # stream start
    event = get_event()
    if isinstance(event, yaml.StreamEndEvent):
        return False, None
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    sequence_start, sequence_end = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    mapping_start, mapping_end = yaml.MappingStartEvent, yaml.MappingEndEvent
    forbidden = _FORBIDDEN.search
    root: Any = None
    position: str | int | None = None  # where the value goes: its key or index (None: root)
    # Field paths and lines are built only where needed (an index, a problem, a collection):
    # most values are scalars read without either.
    while True:
        event = get_event()
        kind = type(event)
        if kind is sequence_end or kind is mapping_end:
            done = stack.pop()
            if done.anchor is not None:
                anchors[done.anchor] = (done.value, done.size)
            if not stack:
                break
            stack[-1].size += done.size
            continue

        parent = stack[-1] if stack else None
        if parent is None:
            position = None
        elif parent.is_map:
            if not parent.has_key:
                _read_key(event, parent, lines, problem)
                values += 1
                parent.size += 1
                continue
            position = parent.key
            parent.has_key = False
        else:
            position = len(parent.value)
            if len(parent.path) <= 1:
                records += 1
                if records > max_records:
                    raise _Stop(
                        event.start_mark.line + 1,
                        f"more than {max_records:,} records (the limit, "
                        f"{settings.MAX_RECORDS.env}): a data file this large is a mistake",
                    )
        if lines is not None and (parent is None or not parent.is_map):
            lines[_path(parent, position)] = event.start_mark.line + 1

        if kind is scalar_event:
            text = event.value
            if event.implicit[0]:
                try:
                    value = _plain(text)
                except _Number as error:
                    problem(event, _path(parent, position), str(error))
                    value = text
            else:
                value = text
            if event.tag is not None:
                problem(event, _path(parent, position), _tag_message(event.tag))
            if value is text and forbidden(text):
                message = f"contains {_describe(forbidden(text).group())}: remove it"
                problem(event, _path(parent, position), message)
            size = 1
        elif kind is alias_event:
            value, size = _alias(event, anchors)
        elif kind is sequence_start or kind is mapping_start:
            if event.tag is not None:
                problem(event, _path(parent, position), _tag_message(event.tag))
            if len(stack) >= max_depth:
                raise _Stop(
                    event.start_mark.line + 1,
                    f"lists and mappings nested more than {max_depth} deep",
                )
            value = [] if kind is sequence_start else {}
            size = 0  # counted by the open collection itself
        else:  # pragma: no cover - the parser sends only the events above inside a document
            raise _Stop(event.start_mark.line + 1, f"unexpected YAML event {kind.__name__}")

        values += size or 1
        if values > max_values:
            raise _Stop(
                event.start_mark.line + 1,
                f"expands to more than {max_values:,} values (counting every alias as a copy)",
            )
        if parent is None:
            root = value
        elif position.__class__ is int:
            parent.value.append(value)
            parent.size += size
        else:
            parent.value[position] = value
            parent.size += size
        if size:
            if event.anchor is not None:
                anchors[event.anchor] = (value, size)
            if parent is None:
                break
        else:
            stack.append(_Open(value, _path(parent, position), event.anchor))
            if event.anchor is not None:
                anchors[event.anchor] = (value, None)

    get_event()  # document end
    event = get_event()
    if not isinstance(event, yaml.StreamEndEvent):
        raise _Stop(
            event.start_mark.line + 1,
            "a second YAML document starts here (a stray '---'?): keep one document per file",
            "(yaml)",
        )
    return True, root


def _path(parent: _Open | None, position: str | int | None) -> FieldPath:
    return () if parent is None else parent.path + (position,)  # type: ignore[operator]


def _read_key(event: Any, parent: _Open, lines: dict[FieldPath, int] | None, problem: Any) -> None:
    if type(event) is not yaml.ScalarEvent:
        raise _Stop(
            event.start_mark.line + 1,
            "a key must be plain text",
            dotted_path(parent.path) or "(document)",
        )
    key = event.value
    if event.tag is not None:
        problem(event, parent.path + (key,), _tag_message(event.tag))
    if key == "<<" and event.implicit[0]:
        problem(
            event, parent.path + (key,), "merge keys ('<<') are not supported: write the fields out"
        )
    bad = _FORBIDDEN.search(key)
    if bad:
        problem(event, parent.path + (key,), f"key contains {_describe(bad.group())}: remove it")
    if key in parent.value:
        problem(event, parent.path + (key,), "duplicate key")
    if lines is not None:
        lines.setdefault(parent.path + (key,), event.start_mark.line + 1)
    parent.key = key
    parent.has_key = True


def _alias(event: Any, anchors: dict[str, tuple[Any, int | None]]) -> tuple[Any, int]:
    line = event.start_mark.line + 1
    found = anchors.get(event.anchor)
    if found is None:
        raise _Stop(line, f"alias '*{event.anchor}' names no anchor defined before it", "(yaml)")
    value, size = found
    if size is None:
        raise _Stop(
            line, f"alias '*{event.anchor}' is inside the list or mapping it names", "(yaml)"
        )
    return value, size


def _plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema; `_Number` for
    the number forms YAML 1.1 reads otherwise."""
    if text in _NULLS:
        return None
    boolean = _BOOLS.get(text)
    if boolean is not None:
        return boolean
    if text[0] not in _NUMBER_START:
        return text
    if len(text) > _MAX_NUMBER_LENGTH and (
        _FLOAT.fullmatch(text) or _PREFIXED.fullmatch(text) or _YAML11_NUMBER.fullmatch(text)
    ):
        # Python refuses to convert integers of over 4,300 digits; no value here needs 40.
        raise _Number(
            f"'{text[:20]}…' is a number {len(text):,} characters long: write a shorter one, "
            "or quote it if it is text"
        )
    if _LEADING_ZERO.fullmatch(text):
        if "8" in text or "9" in text:
            reading = "which YAML 1.1 reads as text and YAML 1.2 as a number"
        else:
            reading = f"which YAML 1.1 reads as the octal number {int(text, 8)}"
        raise _Number(
            f"'{text}' has a leading zero, {reading}: write {int(text)}, "
            f"or quote it ('{text}') if it is text such as a code"
        )
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float(text.replace(".", ""))
    if _NAN.fullmatch(text):
        return float("nan")
    prefixed = _PREFIXED.fullmatch(text)
    if prefixed or _YAML11_NUMBER.fullmatch(text):
        try:  # the value meant, for the message: YAML 1.1's reading but for 0o (YAML 1.2's)
            if prefixed:
                value = int(text.replace("_", ""), 0)
            else:
                value = yaml.load(text, Loader=yaml.SafeLoader)
        except (yaml.YAMLError, ValueError):
            value = None
        if not isinstance(value, int | float):
            raise _Number(f"'{text}' looks like a number but is none: quote it ('{text}')")
        if prefixed:
            kind = _PREFIX_NAMES[text.lstrip("+-")[1]]
            raise _Number(
                f"'{text}' is {kind} number ({value}): write {value}, "
                f"or quote it ('{text}') if it is text"
            )
        if ":" in text:
            raise _Number(
                f"'{text}' is a base-60 number in YAML 1.1 ({value}): write {value}, "
                f"or quote it ('{text}') if it is text such as a time"
            )
        raise _Number(
            f"'{text}' has '_' between digits, which YAML 1.1 drops ({value}): write {value}, "
            f"or quote it ('{text}') if it is text"
        )
    return text


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return (
        f"explicit tag '{shown}' is not allowed: write a plain value (text, number, "
        "true/false, list or mapping) without a tag"
    )


def _describe(char: str) -> str:
    """`the control character U+001B (ESC)`, `the bidirectional control U+202E (…)`."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    named = f"U+{code:04X}" + (f" ({name})" if name else "")
    if _BIDI.fullmatch(char):
        return (
            f"the bidirectional control {named}, which makes text display in another order "
            "than it is stored"
        )
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"the control character {named}"
    return f"the character {named}"


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


def dotted_path(path: FieldPath) -> str:
    """`('events', 3, 'date')` → `events[3].date`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
