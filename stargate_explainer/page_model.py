"""The page model: one JSON document with everything the views need, in both languages.

Python validates the data and builds this once per data file; the JavaScript runtime
(`static/runtime/`) draws every view from it and does every interaction in the browser, in
Voilà, JupyterLab and the static site alike. The model holds the validated records as they are
(`data`), what is derived from them once (`derived`: anchors, presets, exchange rates,
citations, the org chart's layout) and the interface's words (`ui`). Invalid data gives a model with `problems`
instead, which the runtime shows as the error panel.

Building needs pydantic and PyYAML; reading a cached model needs neither, so a reader's kernel
stays small (see `model_cache`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import citation, i18n
from .funding import YEARS as SPENDING_YEARS  # the announced four years, spent evenly (stated)
from .org_layout import org_layout
from .problems import PROBLEM_LIMIT, DataError, Problem

# Bump when the model's shape changes: the cache key includes it.
FORMAT = 5
VENTURE_ID = "stargate"
ANNOUNCEMENT_EVENT_ID = "stargate-announced"
INITIAL_DEPLOYMENT_EVENT_ID = "stargate-100b-immediate"
PROBLEMS_SHOWN = PROBLEM_LIMIT


def build_for_file(path: Path) -> dict[str, Any]:
    """The model of the data file at `path`, or a problems model when it is invalid."""
    from .validate import validate_file  # pydantic and PyYAML: only when building

    return model_of(path, *validate_file(path))


def model_of(path: Path, document, problems: Iterable[Problem]) -> dict[str, Any]:
    """The model of what `validate_file(path)` returned."""
    if document is None:
        return problems_model(path, problems)
    missing = missing_anchors(document, path)
    if missing:
        return problems_model(path, missing)
    return build(document)


def build(document) -> dict[str, Any]:
    """The model of a validated `schema.Document`."""
    data = document.model_dump(mode="json", exclude_none=True)
    return {
        "format": FORMAT,
        "data": data,
        "derived": _derived(document),
        "ui": i18n.ui_model(),
    }


def problems_model(path: Path, problems: Iterable[Problem]) -> dict[str, Any]:
    """What the error panel shows: the file's name (never the server's path), the first
    problems with control characters escaped, and how many there are in all."""
    error = DataError(problems)
    return {
        "format": FORMAT,
        "problems": {
            "file": Path(path).name,
            "count": error.count,
            "items": error.for_readers(PROBLEMS_SHOWN),
        },
        "ui": i18n.ui_model(),
    }


def missing_anchors(document, path: Path) -> list[Problem]:
    """The records the explainer is built around. A file can be valid data without them (the
    tests' minimal dataset is), but the views cannot be drawn from it."""
    name = str(path)
    problems = []
    if VENTURE_ID not in {org.id for org in document.organisations}:
        problems.append(
            Problem(name, 1, "organisations", f"the views need organisation '{VENTURE_ID}'")
        )
    events = {event.id: event for event in document.events}
    for event_id in (ANNOUNCEMENT_EVENT_ID, INITIAL_DEPLOYMENT_EVENT_ID):
        if event_id not in events or events[event_id].amount_usd_bn is None:
            problems.append(
                Problem(name, 1, "events", f"the views need event '{event_id}' with amount_usd_bn")
            )
    if not _equity_to_venture(document):
        problems.append(
            Problem(name, 1, "commitments", "the views need an equity commitment to the venture")
        )
    return problems


def _equity_to_venture(document) -> list:
    """Current equity commitments to the venture (a superseded one is history, not a split)."""
    return [
        c
        for c in document.commitments
        if c.kind == "equity" and c.to_id == VENTURE_ID and c.superseded_by is None
    ]


def _derived(document) -> dict[str, Any]:
    from .originals import Provenance  # pydantic-backed: only when building

    announcement = next(e for e in document.events if e.id == ANNOUNCEMENT_EVENT_ID)
    order = funders(document)
    equity = equity_reports(document)
    provenance = Provenance(document.publishers, document.sources)
    return {
        **_provenance(document, provenance),
        "venture": VENTURE_ID,
        "announcement": ANNOUNCEMENT_EVENT_ID,
        "initial": INITIAL_DEPLOYMENT_EVENT_ID,
        "funders": order,
        "equity": equity,
        "org_layout": org_layout(document, VENTURE_ID, order),
        "presets": _presets(document, equity),
        "fx": _fx(document, announcement.date),
        "comparisons": _comparisons(document, announcement, provenance.info),
        "citation": {
            "en": citation.plain(document.meta, "en"),
            "ja": citation.plain(document.meta, "ja"),
            "bibtex": citation.bibtex(document.meta),
        },
        "columns": _columns(),
    }


def _columns() -> dict[str, list]:
    """Each table's public columns as [name, path in a record, kind]: the page writes the
    dataset's CSV files from `data` with them, exactly as `data_export` does (see
    `static/runtime/dataset_csv.js`; tests/test_parity.py compares the two)."""
    from .dataset import column_kinds, column_paths  # pandas: only when building
    from .schema import TABLES

    return {
        table: [
            [column, list(path), column_kinds(table).get(column, "text")]
            for column, path in column_paths(table).items()
        ]
        for table in TABLES
    }


def _provenance(document, provenance) -> dict[str, Any]:
    """What the publishers table says of each source (`sources`: the credit line, the kind,
    whether it is an original, its labelled copies), the kinds in the order source lists use,
    and the data-quality summary with the records marked as resting on no original."""
    from . import originals  # pydantic-backed: only when building

    copies: dict[str, list[str]] = {}
    for source in document.sources:
        if source.archived_copy_of:
            copies.setdefault(source.archived_copy_of, []).append(source.id)
    return {
        "sources": {
            source_id: info.as_json()
            | ({"copies": copies[source_id]} if source_id in copies else {})
            for source_id, info in provenance.info.items()
        },
        "source_kinds": [
            {"kind": kind, "original": kind in originals.ORIGINAL_KINDS}
            for kind in originals.SOURCE_KINDS
        ],
        "quality": originals.quality(document, provenance),
    }


def funders(document) -> list[str]:
    """Equity funders of the venture, largest reported amount first, then by share, then in
    the data's order (which follows the announcement's)."""
    best: dict[str, tuple[float, float, int]] = {}
    for index, c in enumerate(_equity_to_venture(document)):
        amount, share, first = best.get(c.org_id, (0.0, 0.0, index))
        best[c.org_id] = (
            max(amount, c.amount_usd_bn or 0.0),
            max(share, c.share_pct or 0.0),
            first,
        )
    return sorted(best, key=lambda org: (-best[org][0], -best[org][1], best[org][2]))


# The two kinds of equity figure, reported separately: the views never mix them.
EQUITY_FIGURES = {"amounts": "amount_usd_bn", "shares": "share_pct"}


def equity_reports(document) -> dict[str, list[dict[str, Any]]]:
    """Equity committed to the venture as it stood on each date a figure of that kind was
    reported: for `amounts` and for `shares`, one entry per date, oldest first, with each
    funder's figure as of that date (`records`, in `funders` order), their `total` and the
    funders with none yet (`unreported`).

    The rule on superseded commitments: a funder's figure as of a date is its latest commitment
    dated on or before it that no commitment dated on or before it replaced (`superseded_by`).
    A replaced figure is history, not an error: it stands for the dates before its replacement
    (the $19B The Information reported in January 2025) and the replacement from its own date
    on (the $18B of July 2025). The funding view's charts, its presets, the org chart's boxes
    and `figures.reported_equity` all read this one computation."""
    equity = sorted(
        (c for c in document.commitments if c.kind == "equity" and c.to_id == VENTURE_ID),
        key=lambda c: (c.as_of, c.id),
    )
    dated = {c.id: c.as_of for c in document.commitments}
    order = funders(document)
    reports: dict[str, list[dict[str, Any]]] = {}
    for kind, field in EQUITY_FIGURES.items():
        records = [c for c in equity if getattr(c, field) is not None]
        reports[kind] = []
        for as_of in sorted({c.as_of for c in records}):
            standing: dict[str, Any] = {}
            for c in records:
                replaced = c.superseded_by is not None and dated[c.superseded_by] <= as_of
                if c.as_of <= as_of and not replaced:
                    standing[c.org_id] = c
            reports[kind].append(
                {
                    "as_of": as_of.isoformat(),
                    "records": [standing[f].id for f in order if f in standing],
                    "total": sum(getattr(c, field) for c in standing.values()),
                    "unreported": [f for f in order if f not in standing],
                }
            )
    return reports


def _presets(document, reports: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Starting points for the "what if" split, each from one kind of reported fact.

    - `shares-<date>`: the shares standing on that date (`equity_reports`), as reported
      (funders whose share was not reported are listed in `unreported`; the views split the
      rest among them and say so);
    - `amounts-<date>`: the amounts standing on that date, turned into shares of their sum;
    - `equal`: an illustration with no source.
    Each reported preset carries the status and sources of the records it uses.
    """
    commitments = {c.id: c for c in document.commitments}
    presets = []
    for kind in ("shares", "amounts"):
        field = EQUITY_FIGURES[kind]
        for report in reports[kind]:
            records = [commitments[id_] for id_ in report["records"]]
            presets.append(
                {
                    "key": f"{kind}-{report['as_of']}",
                    "kind": kind,
                    "as_of": report["as_of"],
                    "values": {c.org_id: getattr(c, field) for c in records},
                    "unreported": report["unreported"],
                    "records": report["records"],
                    "status": _least_certain(c.status for c in records),
                    "sources": _cited(c.sources for c in records),
                }
            )
    order = funders(document)
    presets.append(
        {
            "key": "equal",
            "kind": "equal",
            "values": {f: 100.0 / len(order) for f in order},
            "unreported": [],
            "records": [],
            "status": "unverified",
            "sources": [],
        }
    )
    return presets


STATUS_ORDER = ("confirmed", "reported", "unverified")


def _least_certain(statuses: Iterable[str]) -> str:
    return max(statuses, key=STATUS_ORDER.index, default="confirmed")


def _cited(groups: Iterable[Iterable[str]]) -> list[str]:
    return list(dict.fromkeys(source for group in groups for source in group))


STARGATE_DOLLAR_YEAR = 2025


def _comparisons(document, announcement, source_info) -> dict[str, Any] | None:
    """Programmes and Stargate in one dollar-year (the price index's latest year), converted
    with the sourced index; and each one's peak yearly spending as a share of US GDP, Stargate's
    computed against the GDP of the years its money is spent. Programmes that cannot be put in
    that year (no inflation-adjusted figure, or no index for its dollar-year) are listed as
    omitted, never drawn in other dollars."""
    index = {row.year: row for row in document.price_index}
    if not index or STARGATE_DOLLAR_YEAR not in index:
        return None
    target = max(index)

    def status(sources) -> str:
        kinds = [source_info[s].kind for s in sources if s in source_info]
        return "confirmed" if any(k in ("primary", "regulator") for k in kinds) else "reported"

    def convert(value: float, year: int) -> float:
        return value * index[target].value / index[year].value

    programmes, omitted, shares = [], [], []
    for c in document.comparisons:
        if c.kind != "programme":
            continue
        entry = {"id": c.id, "name": c.name.model_dump(), "period": c.period}
        if c.adjusted_usd_bn is not None and c.base_year in index:
            sources = _cited([c.sources, index[c.base_year].sources, index[target].sources])
            programmes.append(
                entry
                | {
                    "value": convert(c.adjusted_usd_bn, c.base_year),
                    "original": {"value": c.adjusted_usd_bn, "year": c.base_year},
                    "sources": sources,
                    "status": status(c.sources),
                }
            )
        else:
            reason = "no_adjusted" if c.adjusted_usd_bn is None else "no_index"
            omitted.append(entry | {"reason": reason, "year": c.base_year})
        if c.peak_gdp_share_pct is not None:
            shares.append(
                entry
                | {
                    "value": c.peak_gdp_share_pct,
                    "sources": list(c.sources),
                    "status": status(c.sources),
                }
            )
    announced = announcement.amount_usd_bn
    stargate = {
        "id": VENTURE_ID,
        "name": {"en": "Stargate (announced)", "ja": "スターゲート（発表額）"},
        "period": f"{SPENDING_YEARS[0]}–{SPENDING_YEARS[-1]}",
        "value": convert(announced, STARGATE_DOLLAR_YEAR),
        "sources": _cited(
            [announcement.sources, index[STARGATE_DOLLAR_YEAR].sources, index[target].sources]
        ),
        "status": announcement.status,
    }
    gdp = {
        int(c.period): c
        for c in document.comparisons
        if c.kind == "us_gdp" and c.period.isdigit() and int(c.period) in SPENDING_YEARS
    }
    gdp_share = None
    if set(gdp) == set(SPENDING_YEARS):
        yearly = announced / len(SPENDING_YEARS)
        by_year = {year: 100 * yearly / gdp[year].nominal_usd_bn for year in SPENDING_YEARS}
        peak = max(by_year, key=by_year.get)
        gdp_share = {
            "id": VENTURE_ID,
            "name": stargate["name"],
            "value": by_year[peak],
            "peak_year": peak,
            "projected": gdp[peak].projected,
            "sources": _cited([announcement.sources, *(gdp[y].sources for y in SPENDING_YEARS)]),
            "status": announcement.status,
        }
    return {
        "base_year": target,
        "index_name": index[target].series,
        "programmes": programmes,
        "omitted": omitted,
        "stargate": stargate,
        "gdp_programmes": shares,
        "gdp_stargate": gdp_share,
        "spending_years": list(SPENDING_YEARS),
    }


def _fx(document, announced: dt.date) -> dict[str, dict[str, Any]]:
    """For each currency the explainer can write out, the USD rate nearest the announcement,
    so converted amounts read as they did then."""
    rates: dict[str, dict[str, Any]] = {"USD": {"rate": 1.0, "date": None, "sources": []}}
    for currency in i18n.terms("currency"):
        candidates = [r for r in document.fx if r.base == "USD" and r.quote == currency]
        if currency == "USD" or not candidates:
            continue
        nearest = min(candidates, key=lambda r: (abs((r.date - announced).days), r.date))
        rates[currency] = {
            "rate": nearest.rate,
            "date": nearest.date.isoformat(),
            "sources": list(nearest.sources),
        }
    return rates
