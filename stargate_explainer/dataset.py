"""`load()` and the `Dataset` it returns: the validated data as pandas DataFrames.

The columns listed in `COLUMNS` are the package's public API: notebooks, dashboards, exports and
readers' own code rely on them, so the frames are built from this one declaration and a test
checks that the README documents every column.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from . import originals, settings
from .problems import DataError
from .schema import TABLES, Document, Record
from .validate import validate_file

_NO_ORIGINAL = {
    "no_original_en": "Why no original source exists for the record, English (None when one does).",
    "no_original_ja": "Why no original source exists for the record, Japanese.",
}
COLUMNS: dict[str, dict[str, str]] = {
    "publishers": {
        "domain": "Domain the publisher's pages are on; a source's publisher is found from its URL.",
        "name": "The publisher's name.",
        "kind": "primary, regulator, wire, newspaper, broadcaster, trade (originals); blog, "
        "aggregator, repost or content_farm.",
        "reason": "Why the publisher is of that kind, in one line.",
    },
    "sources": {
        "id": "Source id that records cite.",
        "title": "Title of the page or document.",
        "publisher": "Who published it, and whose story it carries: 'CNA (Reuters)' (derived).",
        "domain": "Domain of the publisher whose site the page is on (derived from url).",
        "syndicated_from": "Domain of the publisher whose story the page carries under licence.",
        "byline": "Author(s), as the page credits them.",
        "kind": "The source's kind (derived): its publisher's, the carried story's publisher's, "
        "or copy for a labelled copy.",
        "original": "True when the source is an original (derived from kind).",
        "url": "Absolute http(s) address of the page that was read.",
        "date_published": "Publication date (datetime; NaT when the page shows none).",
        "date_accessed": "Date the page was read (datetime).",
        "language": "ISO 639-1 language of the page.",
        "archived_copy_of": "Id of the original this page is a copy of (cited beside it).",
        "note": "What to know about the source (e.g. it quotes a primary text).",
    },
    "organisations": {
        "id": "Organisation id.",
        "name_en": "Name in English.",
        "name_ja": "Name in Japanese.",
        "kind": "company, fund, government, joint_venture, media or financier.",
        "country": "ISO 3166-1 alpha-2 country of the headquarters.",
        "role_en": "One-line role in the story, English.",
        "role_ja": "One-line role in the story, Japanese.",
        "ticker": "Stock ticker, if listed.",
        "source_ids": "Tuple of source ids.",
        **_NO_ORIGINAL,
    },
    "people": {
        "id": "Person id.",
        "name_en": "Name in English.",
        "name_ja": "Name in Japanese.",
        "org_id": "Organisation the person speaks for.",
        "role_en": "Role in the story, English.",
        "role_ja": "Role in the story, Japanese.",
        "source_ids": "Tuple of source ids.",
        **_NO_ORIGINAL,
    },
    "commitments": {
        "id": "Commitment id.",
        "org_id": "Organisation that commits.",
        "to_id": "Organisation it commits to.",
        "kind": "equity, technology, operations, financing or compute_purchase.",
        "amount_usd_bn": "Amount in USD billions (NaN when not reported).",
        "share_pct": "Share of equity in percent (NaN when not reported).",
        "status": "confirmed, reported or unverified: how well the record is attested.",
        "as_of": "Date the commitment was stated (datetime).",
        "superseded_by": "Id of the later commitment that replaced this one, if any.",
        "description_en": "What is committed, English.",
        "description_ja": "What is committed, Japanese.",
        "source_ids": "Tuple of source ids.",
        **_NO_ORIGINAL,
    },
    "events": {
        "id": "Event id.",
        "date": "Date (datetime); the first day of the period for coarser precision.",
        "date_precision": "day, month, quarter or year.",
        "planned": "True for a plan or expectation, False for something that happened.",
        "lane": "plan, deal, site, financing, market, policy or dispute.",
        "title_en": "Title, English.",
        "title_ja": "Title, Japanese.",
        "summary_en": "Summary, English.",
        "summary_ja": "Summary, Japanese.",
        "status": "confirmed, reported or unverified: how well the record is attested.",
        "org_ids": "Tuple of organisation ids involved.",
        "amount_usd_bn": "Amount in USD billions (NaN when none).",
        "milestone": "True for the key milestones the timeline labels on the chart.",
        "series": "Id shared by the steps of one multi-phase plan (None otherwise).",
        "outcome": "For a plan: on_time, late, partly, missed, cancelled, superseded or unknown.",
        "outcome_checked": "When an unknown outcome was last checked (datetime, else NaT).",
        "outcome_event_id": "Id of the event that shows what happened to the plan.",
        "source_ids": "Tuple of source ids.",
        **_NO_ORIGINAL,
    },
    "market_moves": {
        "id": "Market move id.",
        "date": "Trading day (datetime).",
        "ticker": "Ticker or index symbol.",
        "exchange": "Exchange or market.",
        "name_en": "Security name, English.",
        "name_ja": "Security name, Japanese.",
        "org_id": "Organisation, for a company's stock.",
        "instrument": "stock, index or bond_yield.",
        "change_pct": "Change on the day: percent, or percentage points when unit is pp.",
        "unit": "pct or pp.",
        "close": "Closing price or level (NaN when not reported).",
        "currency": "Currency of close (ISO 4217), or pct / points.",
        "status": "confirmed, reported or unverified: how well the record is attested.",
        "source_ids": "Tuple of source ids.",
        **_NO_ORIGINAL,
    },
    "claims": {
        "id": "Claim id.",
        "speaker_id": "Person or organisation who said it.",
        "date": "Date it was said (datetime); the first day of the period for coarser precision.",
        "date_precision": "day, month, quarter or year.",
        "text_original": "Verbatim words, in the original language.",
        "text_lang": "ISO 639-1 language of text_original.",
        "text_en": "The words in English.",
        "text_ja": "The words in Japanese.",
        "context_en": "Context, English.",
        "context_ja": "Context, Japanese.",
        "replies_to": "Id of the claim this answers, if any.",
        "status": "confirmed, reported or unverified: how well the record is attested.",
        "verdict": "true, mostly_true, misleading, false, disputed, unresolved or superseded.",
        "verdict_note_en": "Why the verdict is what it is, English (None when not given).",
        "verdict_note_ja": "Why the verdict is what it is, Japanese (None when not given).",
        "verdict_source_ids": "Tuple of the source ids that support the verdict.",
        "source_ids": "Tuple of source ids.",
        **_NO_ORIGINAL,
    },
    "fx": {
        "date": "Date of the rate (datetime).",
        "base": "Base currency (USD).",
        "quote": "Quote currency (JPY, CNY).",
        "rate": "Units of quote per one base.",
        "source_ids": "Tuple of source ids.",
        **_NO_ORIGINAL,
    },
    "comparisons": {
        "id": "Comparison id.",
        "kind": "programme (a historic project) or us_gdp (US GDP for one year).",
        "name_en": "Name, English.",
        "name_ja": "Name, Japanese.",
        "period": "Years covered, as text.",
        "projected": "True for a projection (e.g. future GDP), False for a measurement.",
        "nominal_usd_bn": "Cost or GDP in then-year USD billions.",
        "adjusted_usd_bn": "Inflation-adjusted USD billions (NaN when not sourced).",
        "base_year": "Dollar year of adjusted_usd_bn (nullable integer).",
        "peak_gdp_share_pct": "Peak annual spending as percent of US GDP (NaN when not sourced).",
        "source_ids": "Tuple of source ids.",
        **_NO_ORIGINAL,
    },
    "price_index": {
        "year": "Year of the index value.",
        "value": "Index value (e.g. CPI-U annual average, 1982–84 = 100).",
        "series": "Which index.",
        "source_ids": "Tuple of source ids.",
        **_NO_ORIGINAL,
    },
    "corrections": {
        "id": "Correction id.",
        "found_in_headline": "Headline of the article that published the error.",
        "found_in_outlet": "Outlet or platform that published it.",
        "found_in_date": "Its publication date (datetime; NaT when unknown).",
        "found_in_date_precision": "day, month, quarter or year.",
        "found_in_url": "Its address, if public.",
        "said_original": "The statement as published.",
        "said_lang": "ISO 639-1 language of said_original.",
        "said_en": "The statement in English.",
        "said_ja": "The statement in Japanese.",
        "truth_en": "What the sources show, English.",
        "truth_ja": "What the sources show, Japanese.",
        "source_ids": "Tuple of source ids.",
        **_NO_ORIGINAL,
    },
}

_DATE_COLUMNS = {
    "date",
    "date_published",
    "date_accessed",
    "as_of",
    "outcome_checked",
    "found_in_date",
}
_INT_COLUMNS = {"base_year", "year"}
_BOOL_COLUMNS = {"planned", "milestone", "projected", "original"}
# Columns computed from other tables (what the publishers table says of a source), and the
# mark of their path in `column_paths`.
DERIVED_COLUMNS = {"sources": ("publisher", "domain", "kind", "original")}
DERIVED = "derived"
_FLOAT_COLUMNS = {
    "value",
    "amount_usd_bn",
    "share_pct",
    "change_pct",
    "close",
    "rate",
    "nominal_usd_bn",
    "adjusted_usd_bn",
    "peak_gdp_share_pct",
}


@dataclass(frozen=True)
class Dataset:
    """The Stargate dataset as one DataFrame per table; `COLUMNS` documents every column.

    `document` keeps the validated records for code that needs the full nesting (the JSON
    export); everything else should use the frames.
    """

    path: Path
    document: Document
    publishers: pd.DataFrame
    sources: pd.DataFrame
    organisations: pd.DataFrame
    people: pd.DataFrame
    commitments: pd.DataFrame
    events: pd.DataFrame
    market_moves: pd.DataFrame
    claims: pd.DataFrame
    fx: pd.DataFrame
    comparisons: pd.DataFrame
    price_index: pd.DataFrame
    corrections: pd.DataFrame

    @classmethod
    def table_names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name not in ("path", "document")]

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in self.table_names()}

    def quality(self) -> dict[str, Any]:
        """How many facts stand on an original source, and the sources' make-up (see
        `originals.quality`)."""
        return originals.quality(self.document)


def load(path: str | Path | None = None) -> Dataset:
    """Read, validate and return the dataset.

    `path`, else `$STARGATE_DATA`, else the repository's `data/stargate.yaml`. Raises
    `DataError` (with every problem, as `FILE:LINE: field: message`) when the file is invalid.
    """
    resolved = Path(path) if path is not None else settings.DATA_PATH.value()
    document, problems = validate_file(resolved)
    if document is None:
        raise DataError(problems)
    return from_document(document, resolved)


def from_document(document: Document, path: Path) -> Dataset:
    """The dataset of a document already validated (read from `path`)."""
    provenance = originals.Provenance(document.publishers, document.sources)
    derived = {"sources": {sid: info.as_json() for sid, info in provenance.info.items()}}
    frames = {table: frame(table, getattr(document, table), derived.get(table)) for table in TABLES}
    return Dataset(path=path, document=document, **frames)


def frame(
    table: str, records: list[Record], derived: dict[str, dict[str, Any]] | None = None
) -> pd.DataFrame:
    """One table's records flattened to the public columns, in `COLUMNS` order; `derived` gives
    the columns computed from other tables, by record id (a source's publisher and kind)."""
    paths = column_paths(table)
    rows = []
    for record in records:
        extra = (derived or {}).get(getattr(record, "id", None), {})
        rows.append(
            {
                column: extra.get(path[1]) if path[0] == DERIVED else _value_at(record, path)
                for column, path in paths.items()
            }
        )
    out = pd.DataFrame(rows, columns=list(paths))
    for column, kind in column_kinds(table).items():
        if kind == "date":
            out[column] = pd.to_datetime(out[column])
        elif kind == "float":
            out[column] = out[column].astype("float64")
        elif kind == "int":
            out[column] = out[column].astype("Int64")
        elif kind == "bool":
            out[column] = out[column].astype(bool)
    return out


def column_paths(table: str) -> dict[str, tuple[str, ...]]:
    """Where each public column of `table` comes from in a record: a nested part becomes one
    column per part (`name` → `name_en`, `name_ja`; `found_in` → `found_in_headline`, …),
    `sources` becomes `source_ids` (`verdict_sources` → `verdict_source_ids`), anything else
    keeps its name; a column computed from other tables (`DERIVED_COLUMNS`) comes from the
    record's entry in the derived data (`(DERIVED, name)`: the page model's `derived[table]`).
    The one flattening rule, for the DataFrames here and the dataset's CSV files the page builds
    from its page model (`page_model`'s `derived.columns`)."""
    fields = TABLES[table].model_fields
    paths: dict[str, tuple[str, ...]] = {}
    for column in COLUMNS[table]:
        if column in DERIVED_COLUMNS.get(table, ()):
            paths[column] = (DERIVED, column)
        elif column in fields:
            paths[column] = (column,)
        elif column.endswith("source_ids"):
            paths[column] = (column.removesuffix("source_ids") + "sources",)
        else:
            name = max((n for n in fields if column.startswith(n + "_")), key=len)
            paths[column] = (name, column[len(name) + 1 :])
    return paths


def column_kinds(table: str) -> dict[str, str]:
    """The type of each public column that is not text: date, float, int or bool."""
    kinds = {}
    for column in COLUMNS[table]:
        if column in _DATE_COLUMNS:
            kinds[column] = "date"
        elif column in _FLOAT_COLUMNS:
            kinds[column] = "float"
        elif column in _INT_COLUMNS:
            kinds[column] = "int"
        elif column in _BOOL_COLUMNS:
            kinds[column] = "bool"
    return kinds


def _value_at(record: Record, path: tuple[str, ...]) -> Any:
    """The value at `path` (None where a part is absent); lists become tuples (hashable, and
    immutable like the record)."""
    value: Any = record
    for part in path:
        value = getattr(value, part, None)
    return tuple(value) if isinstance(value, list) else value
