"""Checks a data file and reports every problem at once as `FILE:LINE: field.path: message`.

Records are validated one by one against `schema.py`, so a single bad record never hides the
others; records that pass then go through the cross-record rules (ids, references, shares).
Past `PROBLEM_LIMIT` problems only the count grows (and "did you mean" hints stop), and every
rule runs in time linear in the file, so that no file can stall the validator. Nothing here
writes to the data file.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .originals import CITING_FIELDS, Provenance, domain_of, host, kind_phrase, record_label
from .problems import PROBLEM_LIMIT, Problem, ProblemCollector, ProblemList
from .schema import (
    CARRIER_KINDS,
    ORIGINAL_KINDS,
    PATTERN_HELP,
    TABLES,
    Document,
    Meta,
    Publisher,
    Record,
    period_end,
)
from .yaml_reader import FieldPath, ParsedYaml, collection_paused, dotted_path, read_yaml

EQUITY_COUNTED_STATUSES = ("confirmed", "reported")
# The field that names a record, per table (publishers are named by their domain).
KEY_FIELDS = {"publishers": "domain"}


def validate_file(path: Path) -> tuple[Document | None, list[Problem]]:
    """Return the validated document, or None and the sorted problems found: the first
    `PROBLEM_LIMIT` by line, in a `ProblemList` whose `total` counts all of them."""
    with collection_paused():
        parsed, problems = read_yaml(path)
        if parsed is None:
            return None, problems
        return _validate_parsed(str(path), parsed)


def _validate_parsed(name: str, parsed: ParsedYaml) -> tuple[Document | None, ProblemList]:
    def problem(path: FieldPath, message: str) -> Problem:
        return Problem(name, parsed.line_of(path), dotted_path(path) or "(document)", message)

    data = parsed.data
    if not isinstance(data, dict):
        message = "the file must be a mapping with the tables " + _table_list()
        return None, ProblemList([problem((), message)])

    problems = ProblemCollector()
    for key in data:
        if key != "meta" and key not in TABLES:
            hint = "" if problems.full else _suggestion(str(key), ["meta", *TABLES])
            problems.append(problem((key,), f"unknown table{hint}"))
    meta = _validate_record(Meta, data.get("meta"), ("meta",), problem, problems)
    tables: dict[str, list[tuple[int, Any]]] = {}
    for table, model in TABLES.items():
        rows = data.get(table)
        optional = not Document.model_fields[table].is_required()
        if rows is None and optional:
            rows = []
        elif not isinstance(rows, list):
            found = "missing" if rows is None else f"a {type(rows).__name__}, not a list"
            problems.append(problem((table,), f"table is {found}"))
            rows = []
        tables[table] = [
            (index, record)
            for index, row in enumerate(rows)
            if (record := _validate_record(model, row, (table, index), problem, problems))
        ]
    updated = meta.updated if isinstance(meta, Meta) else None
    problems.extend(_cross_record_problems(tables, _raw_ids(data), problem, updated))
    if problems or meta is None:
        return None, problems.result()
    return Document.model_construct(
        meta=meta, **{table: [record for _, record in rows] for table, rows in tables.items()}
    ), ProblemList()


def _validate_record(
    model: type[Record],
    raw: Any,
    path: FieldPath,
    problem: Callable[[FieldPath, str], Problem],
    problems: ProblemCollector,
) -> Record | None:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            location = path + tuple(detail["loc"])
            message = _message(model, detail, hints=not problems.full)
            if model is Publisher and detail["type"] == "missing" and detail["loc"] == ("kind",):
                domain = raw.get("domain") if isinstance(raw, dict) else None
                message += (
                    f": say what publisher '{domain}' is ({', '.join(_KINDS)}), and why in `reason`"
                )
            problems.append(problem(location, message))
        return None


_KINDS = Publisher.model_fields["kind"].annotation.__args__  # type: ignore[union-attr]


def _message(model: type[Record], detail: dict[str, Any], hints: bool = True) -> str:
    kind = detail["type"]
    field = str(detail["loc"][-1]) if detail["loc"] else ""
    if kind in ("missing", "too_short") and field == "sources":
        return "no source: every number, date and quote needs at least one source id"
    if kind == "missing":
        return "missing required field"
    if kind == "extra_forbidden":
        return f"unknown field{_suggestion(field, list(model.model_fields)) if hints else ''}"
    if kind == "string_pattern_mismatch":
        expected = PATTERN_HELP.get(
            detail["ctx"]["pattern"], f"the pattern {detail['ctx']['pattern']}"
        )
        return f"must be {expected} (got {_shown(detail['input'])})"
    if kind == "string_too_short":
        return "empty text (a translation or value is missing)"
    if kind == "model_type":
        return f"expected a mapping of fields, got {_shown(detail['input'])}"
    message = str(detail["msg"]).removeprefix("Value error, ")
    if kind in ("value_error", "assertion_error"):
        return message
    return f"{message} (got {_shown(detail['input'])})"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggestion(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _table_list() -> str:
    return ", ".join(["meta", *TABLES])


def _key_field(table: str) -> str:
    return KEY_FIELDS.get(table, "id")


def _raw_ids(data: dict[str, Any]) -> dict[str, set[str]]:
    """Ids (a publisher's domain) as written, including those of records that failed
    validation: a reference to a record with a typo in another field is not a second problem."""
    return {
        table: {
            row[key]
            for row in rows
            if isinstance(row, dict) and isinstance(row.get(key := _key_field(table)), str)
        }
        for table in TABLES
        if isinstance(rows := data.get(table), list)
    }


def _cross_record_problems(
    tables: dict[str, list[tuple[int, Any]]],
    raw_ids: dict[str, set[str]],
    problem: Callable[[FieldPath, str], Problem],
    updated: dt.date | None = None,
) -> Iterable[Problem]:
    yield from _duplicate_ids(tables, problem)

    def ids(table: str) -> set[str]:
        return raw_ids.get(table, set())

    source_ids = ids("sources")
    organisation_ids = ids("organisations")
    speaker_ids = organisation_ids | ids("people")
    claim_ids = ids("claims")

    references: list[tuple[str, str, set[str], str]] = [
        ("sources", "syndicated_from", ids("publishers"), "publisher"),
        ("sources", "archived_copy_of", source_ids, "source"),
        ("people", "org_id", organisation_ids, "organisation"),
        ("commitments", "org_id", organisation_ids, "organisation"),
        ("commitments", "to_id", organisation_ids, "organisation"),
        ("commitments", "superseded_by", ids("commitments"), "commitment"),
        ("events", "org_ids", organisation_ids, "organisation"),
        ("events", "outcome_event_id", ids("events"), "event"),
        ("market_moves", "org_id", organisation_ids, "organisation"),
        ("claims", "speaker_id", speaker_ids, "person or organisation"),
        ("claims", "replies_to", claim_ids, "claim"),
        ("claims", "verdict_sources", source_ids, "source"),
    ] + [
        (table, "sources", source_ids, "source")
        for table, model in TABLES.items()
        if "sources" in model.model_fields
    ]
    hints_left = PROBLEM_LIMIT  # a hint costs a search of every id: only the first ones get one
    for table, field, known, what in references:
        choices: list[str] = []
        for index, record in tables[table]:
            value = getattr(record, field)
            values = value if isinstance(value, list) else [value]
            for position, ref in enumerate(values):
                if ref is not None and ref not in known:
                    path = (table, index, field) + ((position,) if isinstance(value, list) else ())
                    hint = ""
                    if hints_left > 0:
                        hints_left -= 1
                        choices = choices or sorted(known)
                        hint = _suggestion(ref, choices)
                    yield problem(path, f"unknown {what} id '{ref}'{hint}")

    yield from _reply_cycles(tables, problem)
    yield from _outcome_problems(tables, problem, updated)

    yield from _provenance_problems(tables, ids("publishers"), problem)

    equity: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, record in tables["commitments"]:
        if (
            record.kind == "equity"
            and record.share_pct is not None
            and record.status in EQUITY_COUNTED_STATUSES
            and record.superseded_by is None
        ):
            equity[record.to_id].append((index, record.share_pct))
    for to_id, shares in equity.items():
        total = sum(share for _, share in shares)
        if total > 100 + 1e-9:
            yield problem(
                ("commitments", shares[-1][0], "share_pct"),
                f"equity shares in '{to_id}' add up to {total:g}% (over 100%)",
            )


def _provenance_problems(
    tables: dict[str, list[tuple[int, Any]]],
    raw_domains: set[str],
    problem: Callable[[FieldPath, str], Problem],
) -> Iterable[Problem]:
    """Every source has a publisher; a story carried under licence is carried by a carrier; a
    copy points at an original and is cited beside it; and every fact cites an original, or
    says in `no_original` why none exists (and only then)."""
    provenance = Provenance(
        [record for _, record in tables["publishers"]], [record for _, record in tables["sources"]]
    )
    publishers = provenance.publishers
    for index, source in tables["sources"]:
        info = provenance.info[source.id]
        if info.domain is None:
            if domain_of(host(source.url), raw_domains):
                continue  # its publisher is there, with a problem of its own
            yield problem(
                ("sources", index, "url"),
                f"source '{source.id}' is on '{host(source.url)}', which no publisher covers: "
                "add its domain to publishers, with its kind and the reason",
            )
            continue
        carrier = publishers[info.domain]
        if source.syndicated_from == info.domain:
            yield problem(
                ("sources", index, "syndicated_from"),
                f"source '{source.id}' is on {info.domain} itself: syndicated_from names "
                "another publisher whose story the page carries",
            )
        elif source.syndicated_from in publishers and carrier.kind not in CARRIER_KINDS:
            yield problem(
                ("sources", index, "syndicated_from"),
                f"source '{source.id}': {info.domain} is {kind_phrase(carrier.kind)}, which "
                f"carries no story under licence; its copy of {source.syndicated_from}'s story "
                "stays a copy: cite the original, and keep this page as archived_copy_of it",
            )
        original = provenance.sources.get(source.archived_copy_of or "")
        if original is not None and original.archived_copy_of is not None:
            yield problem(
                ("sources", index, "archived_copy_of"),
                f"'{original.id}' is itself a copy: point at the original it copies",
            )
    for table, rows in tables.items():
        if not rows or "sources" not in TABLES[table].model_fields:
            continue
        for index, record in rows:
            yield from _fact_problems(table, index, record, provenance, problem)


def _fact_problems(
    table: str,
    index: int,
    record: Any,
    provenance: Provenance,
    problem: Callable[[FieldPath, str], Problem],
) -> Iterable[Problem]:
    label = f"{_singular(table)} '{record_label(table, record)}'"
    lacking = []
    undecided = False  # a list with a problem of its own (reported where it is) proves nothing
    for field in CITING_FIELDS:
        ids = getattr(record, field, None)
        if ids is None:
            continue
        orphans = False
        for position, source_id in enumerate(ids):
            source = provenance.sources.get(source_id)
            if source is not None and source.archived_copy_of not in (None, *ids):
                orphans = True
                original = provenance.info.get(source.archived_copy_of)
                of = f" ({original.domain})" if original else ""
                yield problem(
                    (table, index, field, position),
                    f"{label} cites '{source_id}' on {provenance.info[source_id].domain}, a copy "
                    f"of '{source.archived_copy_of}'{of}, without its original: cite the "
                    "original beside the copy",
                )
        known = [provenance.info.get(source_id) for source_id in ids]
        if orphans or any(info is None or info.kind is None for info in known):
            undecided = True
        elif not provenance.has_original(ids):
            lacking.append((field, ids))
    if undecided:
        return
    if lacking and record.no_original is None:
        for field, ids in lacking:
            weak = "; ".join(provenance.described(source_id) for source_id in ids)
            yield problem(
                (table, index, field),
                f"{label} cites no original source: {weak}. Cite an original "
                f"({', '.join(ORIGINAL_KINDS)}), or say in no_original why none exists",
            )
    elif not lacking and record.no_original is not None:
        cited = [s for f in CITING_FIELDS for s in getattr(record, f, None) or []]
        first = next(s for s in cited if provenance.is_original(s))
        yield problem(
            (table, index, "no_original"),
            f"{label} cites an original, '{first}' ({provenance.info[first].domain}): "
            "remove no_original",
        )


def _singular(table: str) -> str:
    return {
        "organisations": "organisation",
        "people": "person",
        "commitments": "commitment",
        "events": "event",
        "market_moves": "market move",
        "claims": "claim",
        "fx": "fx rate",
        "comparisons": "comparison",
        "price_index": "price index row",
        "corrections": "correction",
    }.get(table, table)


def _outcome_problems(
    tables: dict[str, list[tuple[int, Any]]],
    problem: Callable[[FieldPath, str], Problem],
    updated: dt.date | None = None,
) -> Iterable[Problem]:
    """An outcome points at something that happened, not at another plan; and a plan whose
    period ended before the dataset's date says what became of it."""
    planned = {record.id: record.planned for _, record in tables["events"]}
    for index, record in tables["events"]:
        if record.planned and record.outcome is None and updated is not None:
            end = period_end(record.date, record.date_precision)
            if end < updated:
                yield problem(
                    ("events", index, "outcome"),
                    f"the plan's period ended on {end}, before the dataset's date {updated}: "
                    "record what happened",
                )
        if record.outcome_event_id is not None and planned.get(record.outcome_event_id):
            yield problem(
                ("events", index, "outcome_event_id"),
                f"'{record.outcome_event_id}' is a plan too: point at the event that happened",
            )


def _reply_cycles(
    tables: dict[str, list[tuple[int, Any]]],
    problem: Callable[[FieldPath, str], Problem],
) -> Iterable[Problem]:
    """A claim that ends up replying to itself has no first statement to hang under.

    Each claim is walked once (a walk stops at a claim an earlier walk went through), so that a
    long chain of replies costs linear time."""
    replies = {record.id: record.replies_to for _, record in tables["claims"] if record.replies_to}
    index_of = {record.id: index for index, record in tables["claims"]}
    walked: set[str] = set()
    for start in replies:
        if start in walked:
            continue
        chain: dict[str, int] = {}  # claim → position in this walk
        current: str | None = start
        while current in replies and current not in walked:
            walked.add(current)
            chain[current] = len(chain)
            current = replies[current]
        if current in chain:
            cycle = list(chain)[chain[current] :]
            first = min(cycle, key=index_of.__getitem__)
            path = " → ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)], first])
            yield problem(
                ("claims", index_of[first], "replies_to"), f"replies form a cycle: {path}"
            )


def _duplicate_ids(
    tables: dict[str, list[tuple[int, Any]]],
    problem: Callable[[FieldPath, str], Problem],
) -> Iterable[Problem]:
    """Ids are unique per table; organisations and people share one namespace because claims
    name their speaker by id from either."""
    namespaces: dict[str, list[str]] = {
        table: [table] for table in TABLES if _key_field(table) in TABLES[table].model_fields
    }
    namespaces["organisations"] = namespaces["people"] = ["organisations", "people"]
    checked: set[tuple[str, ...]] = set()
    for group in namespaces.values():
        if tuple(group) in checked:
            continue
        checked.add(tuple(group))
        members = [
            (table, index, getattr(record, _key_field(table)))
            for table in group
            for index, record in tables[table]
        ]
        counts = Counter(record_id for _, _, record_id in members)
        first_seen: set[str] = set()
        for table, index, record_id in members:
            if counts[record_id] > 1:
                if record_id in first_seen:
                    key = _key_field(table)
                    yield problem((table, index, key), f"duplicate {key} '{record_id}'")
                first_seen.add(record_id)
