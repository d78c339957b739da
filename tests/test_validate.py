from __future__ import annotations

import gc
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from stargate_explainer import yaml_reader
from stargate_explainer.problems import PROBLEM_LIMIT, DataError, Problem, escape_controls
from stargate_explainer.validate import _reply_cycles, validate_file

BAD_DATA = Path(__file__).resolve().parent / "bad_data"
EXPECTED: dict[str, list[str]] = json.loads((BAD_DATA / "expected.json").read_text("utf-8"))


def _reported(path: Path) -> list[str]:
    """`LINE: field: message` as printed (control characters escaped)."""
    document, problems = validate_file(path)
    assert document is None
    return [escape_controls(f"{p.line}: {p.field}: {p.message}") for p in problems]


def test_corpus_and_expectations_match():
    files = sorted(p.name for p in BAD_DATA.glob("*.yaml"))
    assert files == sorted(EXPECTED), "every bad file needs expected problems, and vice versa"
    assert all(EXPECTED.values()), "every bad file must expect at least one problem"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_reports_expected_problems(name):
    reported = _reported(BAD_DATA / name)
    assert len(reported) == len(EXPECTED[name]), reported
    for got, expected in zip(reported, EXPECTED[name], strict=True):
        assert got.startswith(expected), got


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_pure_python_parser_reports_the_same(name, monkeypatch):
    """PyYAML without libyaml (`yaml.SafeLoader`) must stop every file as libyaml does, with
    no traceback: only the wording of a syntax error is the parser's own."""
    monkeypatch.setattr(yaml_reader, "LOADER", yaml.SafeLoader)
    reported = _reported(BAD_DATA / name)
    assert len(reported) == len(EXPECTED[name]), reported
    for got, expected in zip(reported, EXPECTED[name], strict=True):
        if ": (yaml): YAML error: " in expected:
            expected = expected.split(" YAML error: ")[0]
        assert got.startswith(expected), got


def test_every_problem_is_reported_at_once():
    reported = _reported(BAD_DATA / "many_problems.yaml")
    fields = {line.split(": ")[1] for line in reported}
    assert {"sources[0].language", "commitments[0].amount_usd_bn", "claims[0].speaker_id"} <= fields


def test_minimal_dataset_is_valid(minimal_path):
    document, problems = validate_file(minimal_path)
    assert problems == []
    assert document is not None and document.events[1].planned is True


def test_real_dataset_is_valid(real_path):
    document, problems = validate_file(real_path)
    assert [str(p) for p in problems] == []


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch, minimal_path):
    monkeypatch.setenv("STARGATE_MAX_BYTES", "1000")
    big = tmp_path / "big.yaml"
    big.write_bytes(minimal_path.read_bytes() + b"#" * 1000)
    assert _reported(big) == [
        f"1: (file): file is {big.stat().st_size:,} bytes, over the 1,000-byte limit"
    ]


def test_missing_file(tmp_path):
    assert _reported(tmp_path / "nope.yaml") == ["1: (file): file not found"]


@pytest.mark.parametrize("loader", [yaml.CSafeLoader, yaml.SafeLoader])
def test_block_nesting_on_one_line_is_refused(tmp_path, monkeypatch, loader):
    monkeypatch.setattr(yaml_reader, "LOADER", loader)
    deep = tmp_path / "deep.yaml"
    deep.write_text("meta:\n" + "- " * 5000 + "x\n")
    assert _reported(deep) == ["2: (file): lists and mappings nested more than 32 deep"]


@pytest.mark.parametrize("loader", [yaml.CSafeLoader, yaml.SafeLoader])
def test_nesting_is_counted_as_it_is_read_whatever_the_quotes(tmp_path, monkeypatch, loader):
    """No text heuristic: a quote in a plain scalar, a bracket in a quoted one, a multi-line
    quoted scalar and a comment change nothing; only real nesting counts, at its line."""
    monkeypatch.setattr(yaml_reader, "LOADER", loader)
    harmless = tmp_path / "harmless.yaml"
    harmless.write_text('meta:\n  a: "x\n    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["  # [[[[\n')
    reported = _reported(harmless)
    assert "2: meta.a: unknown field" in reported
    assert not any("nested" in line for line in reported)
    deep = tmp_path / "deep.yaml"
    deep.write_text('meta:\n  a: [x \'y, "[",\n' + "[" * 32 + "]" * 32 + "]\n")
    assert _reported(deep) == ["3: (file): lists and mappings nested more than 32 deep"]


def _generated(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _cli_with_peak_memory(*args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run the CLI in a child that reports its own peak resident size (KiB) on stdout.

    The peak is the child's VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across
    exec from the forking process, so in a long test run it reported pytest's own size."""
    code = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from stargate_explainer.cli import main\n"
        f"status = main({list(args)!r})\n"
        "status_text = Path('/proc/self/status').read_text()\n"
        "print(re.search(r'VmHWM:\\s+(\\d+) kB', status_text).group(1))\n"
        "sys.exit(status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600
    )
    return result, int(result.stdout.split()[-1])


def test_a_million_records_are_refused_at_the_ceiling(tmp_path):
    """1,000,000 `- {}` records (5 MB) once took minutes, gigabytes and 8,000,000 lines:
    reading now stops at the first record past the ceiling, before any record is validated."""
    big = _generated(tmp_path, "million.yaml", "sources:\n" + "- {}\n" * 1_000_000)
    result, peak_kib = _cli_with_peak_memory("validate", str(big))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{big}:100002: (file): more than 100,000 records (the limit, STARGATE_MAX_RECORDS): "
        "a data file this large is a mistake",
        f"{big}: 1 problem",
    ]
    assert peak_kib < 400 * 1024, f"peak memory {peak_kib} KiB"


def test_the_record_ceiling_counts_every_table(tmp_path, monkeypatch, minimal_path):
    monkeypatch.setenv("STARGATE_MAX_RECORDS", "4")
    text = minimal_path.read_text("utf-8")
    lines = text.splitlines()
    # The fifth record is the first person (publishers: 1, sources: 1, organisations: 2).
    fifth = next(n for n, line in enumerate(lines, 1) if line == "  - id: person-a")
    assert _reported(minimal_path) == [
        f"{fifth}: (file): more than 4 records (the limit, STARGATE_MAX_RECORDS): "
        "a data file this large is a mistake"
    ]


def test_problems_are_capped_and_counted(tmp_path):
    """100,000 duplicate keys: the first 200 problems by line, the count of all, and the same
    cap for the CLI, the dashboard and the exception's text."""
    dupes = _generated(tmp_path, "dupes.yaml", "meta:\n" + "  x: 1\n" * 100_000)
    document, problems = validate_file(dupes)
    assert document is None
    assert len(problems) == PROBLEM_LIMIT and problems.total == 99_999
    assert [p.line for p in problems] == list(range(3, 3 + PROBLEM_LIMIT))
    assert {p.message for p in problems} == {"duplicate key"}

    error = DataError(problems)
    assert error.count == 99_999 and error.more() == 99_999 - PROBLEM_LIMIT
    assert len(error.for_readers()) == PROBLEM_LIMIT
    assert error.for_readers(limit=3) == [
        f"dupes.yaml:{n}: meta.x: duplicate key" for n in (3, 4, 5)
    ]
    assert error.more(limit=3) == 99_996
    lines = str(error).splitlines()
    assert len(lines) == PROBLEM_LIMIT + 1 and lines[-1] == "… and 99,799 more problems"

    result = _cli("validate", str(dupes))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == PROBLEM_LIMIT + 2
    assert lines[-2:] == ["… and 99,799 more problems", f"{dupes}: 99,999 problems"]


def test_the_cap_keeps_the_first_problems_by_line_whatever_the_order_found(tmp_path):
    """Problems are found table by table, not in line order: the ones kept are still the
    first by line."""
    rows = "".join(f"  - {{id: x{n}}}\n" for n in range(150))
    text = "fx:\n" + rows.replace("id: x", "rate: x") + "sources:\n" + rows
    _, problems = validate_file(_generated(tmp_path, "order.yaml", text))
    assert problems.total > PROBLEM_LIMIT
    lines = [p.line for p in problems]
    assert lines == sorted(lines) and lines[0] == 1 and max(lines) <= 152


def test_a_plain_list_of_problems_makes_a_data_error():
    problems = [
        Problem("/srv/data/b.yaml", 2, "x", "late"),
        Problem("/srv/data/b.yaml", 1, "y", "early"),
    ]
    error = DataError(problems)
    assert error.count == 2 and error.more() == 0
    assert error.for_readers() == ["b.yaml:1: y: early", "b.yaml:2: x: late"]
    assert str(error) == "/srv/data/b.yaml:1: y: early\n/srv/data/b.yaml:2: x: late"


def test_readers_see_the_file_name_only(tmp_path):
    """The dashboard's panel text must not tell readers where the server keeps its data."""
    bad = _generated(tmp_path, "data.yaml", "meta:\n  a: 1\n  a: 2\n")
    _, problems = validate_file(bad)
    error = DataError(problems)
    assert error.for_readers() == ["data.yaml:3: meta.a: duplicate key"]
    assert all(str(tmp_path) not in line for line in error.for_readers())
    assert str(error).startswith(f"{bad}:3: ")  # the command line keeps the path it was given


def test_printing_escapes_control_characters():
    problem = Problem("f.yaml", 1, "a\x1b[2J\u202e", "b\x00\n\x9b\u2066")
    assert str(problem) == "f.yaml:1: a\\x1b[2J\\u202e: b\\x00\\x0a\\x9b\\u2066"
    assert problem.for_readers() == str(problem)
    assert escape_controls("tab\tstays? no: 日本語 stays") == "tab\\x09stays? no: 日本語 stays"


def test_a_key_with_terminal_escapes_prints_inert():
    """A key that would clear the terminal and print a forged OK line prints as escapes."""
    name = "terminal_escape_key.yaml"
    result = _cli("validate", str(BAD_DATA / name))
    assert result.returncode == 1
    assert not any(ord(c) < 32 and c != "\n" for c in result.stderr + result.stdout)
    assert "\\x1b[2J\\x1b[H" in result.stderr
    assert not any(line.startswith("data/stargate.yaml: OK") for line in result.stderr.splitlines())


def test_validation_leaves_the_garbage_collector_as_it_found_it(minimal_path):
    validate_file(minimal_path)
    assert gc.isenabled()
    gc.disable()
    try:
        validate_file(BAD_DATA / "alias_bomb.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_reply_cycles_are_found_once_in_linear_time():
    """A long chain of replies ending in a loop: every claim walked once, the loop reported
    once, named from its first claim."""
    chain = [SimpleNamespace(id=f"c{n}", replies_to=f"c{n + 1}") for n in range(20_000)]
    chain[-1].replies_to = "c19997"  # c19997 → c19998 → c19999 → c19997
    tables = {"claims": list(enumerate(chain))}
    found = list(_reply_cycles(tables, lambda path, message: (path, message)))
    assert found == [
        (("claims", 19997, "replies_to"), "replies form a cycle: c19997 → c19998 → c19999 → c19997")
    ]


def test_validation_never_writes_the_data_file(minimal_path, tmp_path):
    copy = tmp_path / "data.yaml"
    copy.write_bytes(minimal_path.read_bytes())
    before = (hashlib.sha256(copy.read_bytes()).hexdigest(), copy.stat().st_mtime_ns)
    validate_file(copy)
    validate_file(BAD_DATA / "many_problems.yaml")
    assert (hashlib.sha256(copy.read_bytes()).hexdigest(), copy.stat().st_mtime_ns) == before


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stargate_explainer", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.mark.parametrize("name", ["alias_bomb.yaml", "python_object_tag.yaml", "not_utf8.yaml"])
def test_cli_reports_file_and_line_without_traceback(name):
    result = _cli("validate", str(BAD_DATA / name))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{BAD_DATA / name}:{EXPECTED[name][0].split(':')[0]}:")
    assert result.stderr.splitlines()[-1] == f"{BAD_DATA / name}: 1 problem"


def test_cli_accepts_a_valid_file(minimal_path):
    result = _cli("validate", str(minimal_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{minimal_path}: OK (1 publishers, 1 sources, 2 organisations")
    assert lines[1:3] == [
        "facts on an original source: 12 of 12 (100.0%)",
        "facts with no original (marked, reason given): 0",
    ]


def _plan_variant(tmp_path: Path, minimal_path: Path, old: str, new: str) -> Path:
    """The minimal dataset with its plan (ev-b, the year 2028) edited by one text substitution."""
    text = minimal_path.read_text("utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new), "utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # The period has not ended: 2026 runs to 31 December, after the dataset's date.
        ('date: "2028-01-01"', 'date: "2026-01-01"'),
        # The last day of the period is the dataset's date itself: not yet "before" it.
        (
            'date: "2028-01-01"\n    date_precision: year',
            'date: "2026-11-23"\n    date_precision: day',
        ),
        # An ended period with an outcome, or with an unknown outcome checked on a given day.
        ('date: "2028-01-01"', 'date: "2025-01-01"\n    outcome: late'),
        (
            'date: "2028-01-01"',
            'date: "2025-01-01"\n    outcome: unknown\n    outcome_checked: "2026-11-23"',
        ),
    ],
)
def test_a_plan_needs_no_outcome_until_its_period_has_ended(tmp_path, minimal_path, old, new):
    document, problems = validate_file(_plan_variant(tmp_path, minimal_path, old, new))
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize(
    ("date", "precision", "end"),
    [("2026-11-22", "day", "2026-11-22"), ("2026-07-01", "quarter", "2026-09-30")],
)
def test_a_plan_whose_period_ended_without_an_outcome_is_a_problem(
    tmp_path, minimal_path, date, precision, end
):
    path = _plan_variant(
        tmp_path,
        minimal_path,
        'date: "2028-01-01"\n    date_precision: year',
        f'date: "{date}"\n    date_precision: {precision}',
    )
    line = path.read_text("utf-8").splitlines().index("  - id: ev-b") + 1
    assert _reported(path) == [
        f"{line}: events[1].outcome: the plan's period ended on {end}, before the dataset's "
        "date 2026-11-23: record what happened"
    ]
