from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from stargate_explainer.validate import validate_file

BAD_DATA = Path(__file__).resolve().parent / "bad_data"
EXPECTED: dict[str, list[str]] = json.loads((BAD_DATA / "expected.json").read_text("utf-8"))


def _reported(path: Path) -> list[str]:
    document, problems = validate_file(path)
    assert document is None
    return [f"{p.line}: {p.field}: {p.message}" for p in problems]


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


def test_block_nesting_on_one_line_is_refused(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("meta:\n" + "- " * 5000 + "x\n")
    assert _reported(deep) == ["2: (file): nesting or indentation is too deep"]


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
    assert result.stdout.startswith(f"{minimal_path}: OK (1 sources, 2 organisations")


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
