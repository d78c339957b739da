"""The one shape every data problem takes, so that readers see `FILE:LINE: field: message`.

A hostile file can hold a million mistakes and keys full of terminal escapes, so the problems
kept are capped (`PROBLEM_LIMIT`, the first by file and line; the count of all is kept), and
every way of printing a problem shows control characters as inert escapes such as `\\x1b`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

# No reader needs more than this many problems at once to start fixing a file; past it, the
# validator only counts.
PROBLEM_LIMIT = 200

# The bidirectional controls (as a regular-expression class body): they make text display in
# another order than it is stored. The data refuses them (yaml_reader) and output escapes them.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 and C1 controls, DEL, the bidirectional controls and the line and paragraph separators:
# characters that can move a terminal's cursor, clear it, or make text display in another
# order than it is stored.
_UNPRINTABLE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")


def escape_controls(text: str) -> str:
    """`text` with every control, bidi and line-separator character written as an inert escape
    (`\\x1b`, `\\u202e`), so that printing it cannot drive a terminal or reorder a line."""
    return _UNPRINTABLE.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        """`FILE:LINE: field: message` with the file as given, safe to print."""
        return escape_controls(f"{self.file}:{self.line}: {self.field}: {self.message}")

    def for_readers(self) -> str:
        """As `str()`, but with the file's name only: readers of the dashboard must not learn
        where the server keeps its files."""
        name = PurePath(self.file).name or self.file
        return escape_controls(f"{name}:{self.line}: {self.field}: {self.message}")


class ProblemList(list[Problem]):
    """Sorted problems, at most `PROBLEM_LIMIT` of them, and in `total` the count of all that
    were found (a plain list of problems has `total == len()`)."""

    def __init__(self, problems: Iterable[Problem] = (), total: int | None = None):
        super().__init__(problems)
        self.total = len(self) if total is None else max(total, len(self))


class ProblemCollector:
    """Collects problems without keeping more than twice `limit` of them: past the limit it
    keeps the first ones by file and line and counts the rest."""

    def __init__(self, limit: int = PROBLEM_LIMIT):
        self.limit = limit
        self.total = 0
        self._kept: list[Problem] = []

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def full(self) -> bool:
        """True once `limit` problems were found: optional work (hints) can be skipped."""
        return self.total >= self.limit

    def append(self, problem: Problem) -> None:
        self.total += 1
        self._kept.append(problem)
        if len(self._kept) >= 2 * self.limit:
            self._kept.sort()
            del self._kept[self.limit :]

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def result(self) -> ProblemList:
        return ProblemList(sorted(self._kept)[: self.limit], self.total)


class DataError(Exception):
    """Raised by `load()` when the data file has problems.

    `problems` holds the first `PROBLEM_LIMIT` by file and line, `count` the number of all of
    them; `shown()`, `more()` and `for_readers()` give an error panel the same cap.
    """

    def __init__(self, problems: Iterable[Problem]):
        problems = list(problems) if not isinstance(problems, list) else problems
        total = getattr(problems, "total", len(problems))
        self.problems: list[Problem] = sorted(problems)[:PROBLEM_LIMIT]
        self.count: int = max(total, len(problems))
        super().__init__("\n".join(self.for_terminal()))

    def shown(self, limit: int = PROBLEM_LIMIT) -> list[Problem]:
        """The first `limit` problems (by file and line)."""
        return self.problems[: max(0, limit)]

    def more(self, limit: int = PROBLEM_LIMIT) -> int:
        """How many problems `shown(limit)` leaves out."""
        return self.count - len(self.shown(limit))

    def for_readers(self, limit: int = PROBLEM_LIMIT) -> list[str]:
        """`name.yaml:LINE: field: message` for each of `shown(limit)`: file names without the
        server's directories, control characters escaped. `more(limit)` says how many follow."""
        return [problem.for_readers() for problem in self.shown(limit)]

    def for_terminal(self, limit: int = PROBLEM_LIMIT) -> list[str]:
        """`FILE:LINE: field: message` lines (the file as given), escaped, then
        `… and N more problems` when some are left out."""
        lines = [str(problem) for problem in self.shown(limit)]
        more = self.more(limit)
        if more:
            lines.append(f"… and {more:,} more problem{'s' * (more != 1)}")
        return lines
