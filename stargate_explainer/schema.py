"""The dataset's schema: one pydantic model per record kind.

The models are the single definition of what a valid record is: the validator checks records
against them, `data/stargate.schema.json` is generated from them (for editors), and the
DataFrame columns are flattened from them. Cross-record rules (ids that must resolve, equity
shares that must not pass 100 %) live in `validate.py`, because a model sees one record only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)

_KANA_OR_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")


ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
URL_PATTERN = r"^https?://[^\s<>\"']+$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
DOMAIN_PATTERN = r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$"
PRICE_UNIT_PATTERN = r"^(?:[A-Z]{3}|pct|points)$"
PATTERN_HELP = {
    ID_PATTERN: "an id of lowercase letters, digits, '.', '_' and '-'",
    URL_PATTERN: "an absolute http:// or https:// address",
    LANGUAGE_PATTERN: "a two-letter ISO 639-1 language code such as 'en'",
    COUNTRY_PATTERN: "a two-letter ISO 3166-1 country code such as 'US'",
    CURRENCY_PATTERN: "a three-letter ISO 4217 currency code such as 'USD'",
    DOMAIN_PATTERN: "a lowercase domain name such as 'reuters.com' (no scheme, no 'www.')",
    PRICE_UNIT_PATTERN: "a currency code such as 'USD', or 'pct' or 'points'",
    r"\S": "non-blank text",
}


def _plausible_date(value: dt.date) -> dt.date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"date {value} is outside {EARLIEST_DATE.year}–{LATEST_DATE.year}")
    return value


def _japanese(value: str) -> str:
    if not _KANA_OR_KANJI.search(value):
        raise ValueError("Japanese text has no Japanese characters (translation missing?)")
    return value


def _english(value: str) -> str:
    if _KANA.search(value):
        raise ValueError("English text contains Japanese kana (languages mixed up?)")
    return value


Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=80,
        description="Lowercase id: letters, digits, '.', '_' and '-'.",
    ),
]
NonEmpty = Annotated[str, Field(min_length=1, max_length=5000, pattern=r"\S")]
English = Annotated[NonEmpty, AfterValidator(_english)]
Japanese = Annotated[NonEmpty, AfterValidator(_japanese)]
Date = Annotated[dt.date, AfterValidator(_plausible_date)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Amount = Annotated[Number, Field(ge=0, description="USD billions, nominal.")]
Percent = Annotated[Number, Field(ge=0, le=100)]
SourceIds = Annotated[
    list[Id],
    Field(
        min_length=1,
        description="Ids of the sources that support every number, date and quote in the record.",
    ),
]
LanguageCode = Annotated[str, Field(pattern=LANGUAGE_PATTERN, description="ISO 639-1 code.")]
CurrencyCode = Annotated[str, Field(pattern=CURRENCY_PATTERN, description="ISO 4217 code.")]

# How well a record is attested: `confirmed` (a primary source, or two independent reports),
# `reported` (one credible report) or `unverified`. Whether a claim's content holds is a second
# question, answered by `Verdict`.
Status = Literal["confirmed", "reported", "unverified"]
Verdict = Literal[
    "true", "mostly_true", "misleading", "false", "disputed", "unresolved", "superseded"
]
# What became of a plan: `unknown` needs the date it was last checked.
Outcome = Literal["on_time", "late", "partly", "missed", "cancelled", "superseded", "unknown"]
# What a publisher is. Originals, whose pages are the first publication of what they say: the
# company or body itself (`primary`: its releases, filings, posts; a press-release wire carries
# these verbatim), a `regulator` or other public authority, a news agency (`wire`), a
# `newspaper` or news magazine, a `broadcaster`, the `trade` press. Not originals: a `blog`
# (commentary), an `aggregator` (summaries of others' reporting), a `repost` site (copies of
# others' pages, archives included) and a `content_farm` (machine-written or machine-summarised
# pages). A fact needs at least one original among its sources.
ORIGINAL_KINDS = ("primary", "regulator", "wire", "newspaper", "broadcaster", "trade")
WEAK_KINDS = ("blog", "aggregator", "repost", "content_farm")
PublisherKind = Literal[ORIGINAL_KINDS + WEAK_KINDS]  # type: ignore[valid-type]
# Hosts that may carry another publisher's story under licence, so that the page counts as that
# publisher's (`Source.syndicated_from`): an original, or an aggregator printing a wire verbatim.
# A repost, blog or content farm that copies a story is still a repost, blog or content farm.
CARRIER_KINDS = ORIGINAL_KINDS + ("aggregator",)
Lane = Literal["plan", "deal", "site", "financing", "market", "policy", "dispute"]
Precision = Literal["day", "month", "quarter", "year"]
CommitmentKind = Literal["equity", "technology", "operations", "financing", "compute_purchase"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Text(Record):
    """A label or sentence in both languages of the explainer."""

    en: English
    ja: Japanese


class Name(Record):
    """A name in both languages. The Japanese one may be in Latin letters, as Japanese press
    writes "MGX", "AMD" or "xAI"."""

    en: English
    ja: NonEmpty


class Quote(Record):
    """Words as said (`original`, in language `lang`), with English and Japanese renderings."""

    original: NonEmpty
    lang: LanguageCode
    en: English
    ja: Japanese


class Meta(Record):
    title: Text
    description: Text
    updated: Date = Field(description="Date the dataset was last revised.")
    licence: NonEmpty


Domain = Annotated[
    str,
    Field(
        pattern=DOMAIN_PATTERN,
        max_length=253,
        description="A publisher's domain, as in `publishers` (e.g. 'reuters.com').",
    ),
]


class Publisher(Record):
    """Who publishes at a domain, and what kind of publisher it is: reviewed once per publisher.
    A source's publisher is the one whose domain its address is on (the longest match, so that
    'equity.jiji.com' is Jiji Press at 'jiji.com')."""

    domain: Domain
    name: NonEmpty = Field(description="The publisher's name as readers know it.")
    kind: PublisherKind
    reason: NonEmpty = Field(description="One line: why it is this kind.")


class Source(Record):
    id: Id
    title: NonEmpty
    byline: NonEmpty | None = Field(default=None, description="Author(s), as the page credits.")
    syndicated_from: Domain | None = Field(
        default=None,
        description="The publisher whose story this page carries under licence (a Reuters story "
        "on CNA's site: 'reuters.com'); the source is then of that publisher's kind.",
    )
    url: Annotated[str, Field(pattern=URL_PATTERN, max_length=2000)]
    date_published: Date | None = Field(description="Null when the page shows no date.")
    date_accessed: Date
    language: LanguageCode
    archived_copy_of: Id | None = Field(
        default=None,
        description="Id of the original this page is a faithful copy of (an archive snapshot, a "
        "republication); a record that cites the copy cites the original too.",
    )
    note: NonEmpty | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Source:
        if self.date_published and self.date_published > self.date_accessed:
            raise ValueError("date_published is after date_accessed")
        # One day of slack: a page read "today" east of UTC is tomorrow for a machine in UTC.
        if self.date_accessed > dt.date.today() + dt.timedelta(days=1):
            raise ValueError("date_accessed is in the future")
        return self


class Cited(Record):
    """A record that states facts, each backed by its `sources`. At least one of them must be an
    original (see `ORIGINAL_KINDS`); where none exists anywhere, `no_original` says why, and the
    page marks the record."""

    no_original: Text | None = Field(
        default=None,
        description="Why no original source exists for this record: it rests only on copies, "
        "summaries or commentary, and the page says so.",
    )


class Organisation(Cited):
    id: Id
    name: Name
    kind: Literal["company", "fund", "government", "joint_venture", "media", "financier"]
    country: Annotated[str, Field(pattern=COUNTRY_PATTERN, description="ISO 3166-1 alpha-2.")]
    role: Text
    ticker: NonEmpty | None = None
    sources: SourceIds


class Person(Cited):
    id: Id
    name: Name
    org_id: Id
    role: Text
    sources: SourceIds


class Commitment(Cited):
    id: Id
    org_id: Id = Field(description="Who commits.")
    to_id: Id = Field(description="To whom.")
    kind: CommitmentKind
    amount_usd_bn: Amount | None = None
    share_pct: Percent | None = Field(default=None, description="Share of equity, if reported.")
    status: Status
    as_of: Date
    superseded_by: Id | None = Field(
        default=None, description="Id of the later commitment that replaced this one."
    )
    description: Text
    sources: SourceIds


class Event(Cited):
    id: Id
    date: Date = Field(description="First day of the period when the precision is coarser.")
    date_precision: Precision
    planned: bool = Field(strict=True, description="True for a plan or expectation.")
    lane: Lane
    title: Text
    summary: Text
    status: Status
    org_ids: list[Id] = []
    amount_usd_bn: Amount | None = None
    milestone: bool = Field(
        default=False,
        strict=True,
        description="One of the few key milestones the timeline labels on the chart.",
    )
    series: Id | None = Field(
        default=None, description="Id shared by the steps of one multi-phase plan."
    )
    outcome: Outcome | None = Field(default=None, description="What became of a plan.")
    outcome_checked: Date | None = Field(
        default=None, description="When an `unknown` outcome was last checked."
    )
    outcome_event_id: Id | None = Field(
        default=None, description="Id of the event that shows what happened to the plan."
    )
    sources: SourceIds

    @model_validator(mode="after")
    def _date_matches_precision(self) -> Event:
        _check_precision(self.date, self.date_precision)
        return self

    @model_validator(mode="after")
    def _outcome_fits(self) -> Event:
        if not self.planned and (self.outcome or self.outcome_event_id or self.outcome_checked):
            raise ValueError("only a planned event has an outcome")
        if (self.outcome == "unknown") != (self.outcome_checked is not None):
            raise ValueError("an unknown outcome needs outcome_checked, and only it has one")
        if self.outcome_event_id is not None and self.outcome is None:
            raise ValueError("outcome_event_id needs an outcome")
        return self


def period_end(date: dt.date, precision: str) -> dt.date:
    """Last day of the period a coarse date stands for (the day itself for `day`)."""
    months = {"day": 0, "month": 1, "quarter": 3, "year": 12}[precision]
    if not months:
        return date
    month = date.month - 1 + months
    first_after = dt.date(date.year + month // 12, month % 12 + 1, 1)
    return first_after - dt.timedelta(days=1)


def _check_precision(date: dt.date, precision: str) -> None:
    """A coarse date is stored as the first day of its period, so that sorting and ranges work."""
    period_start_months = {"quarter": (1, 4, 7, 10), "year": (1,)}
    if precision != "day" and date.day != 1:
        raise ValueError(f"a {precision}-precision date must be the 1st")
    if date.month not in period_start_months.get(precision, range(1, 13)):
        raise ValueError(f"a {precision}-precision date must start the period")


class MarketMove(Cited):
    id: Id
    date: Date
    ticker: NonEmpty
    exchange: NonEmpty
    name: Text
    org_id: Id | None = None
    instrument: Literal["stock", "index", "bond_yield"]
    change_pct: Number = Field(description="Day's change: % (unit pct) or percentage points (pp).")
    unit: Literal["pct", "pp"]
    close: Annotated[Number, Field(gt=0)] | None = None
    currency: Annotated[str, Field(pattern=PRICE_UNIT_PATTERN)]
    status: Status
    sources: SourceIds


class Claim(Cited):
    id: Id
    speaker_id: Id
    date: Date
    date_precision: Precision = "day"
    text: Quote
    context: Text
    replies_to: Id | None = None
    status: Status = Field(description="How well attested it is that the words were said.")
    verdict: Verdict = Field(description="Whether what was said holds.")
    verdict_note: Text | None = Field(default=None, description="Why the verdict is what it is.")
    verdict_sources: SourceIds = Field(description="Sources that support the verdict.")
    sources: SourceIds

    @model_validator(mode="after")
    def _date_matches_precision(self) -> Claim:
        _check_precision(self.date, self.date_precision)
        return self


class FxRate(Cited):
    date: Date
    base: CurrencyCode
    quote: CurrencyCode
    rate: Annotated[Number, Field(gt=0)]
    sources: SourceIds


class Comparison(Cited):
    id: Id
    kind: Literal["programme", "us_gdp"]
    name: Text
    period: NonEmpty
    projected: bool = Field(
        default=False, strict=True, description="A projection (e.g. future GDP), not a measurement."
    )
    nominal_usd_bn: Amount
    adjusted_usd_bn: Amount | None = None
    base_year: Annotated[int, Field(strict=True, ge=1900, le=2100)] | None = None
    peak_gdp_share_pct: Percent | None = None
    sources: SourceIds

    @model_validator(mode="after")
    def _adjusted_needs_base_year(self) -> Comparison:
        if self.adjusted_usd_bn is not None and self.base_year is None:
            raise ValueError("adjusted_usd_bn needs base_year (the dollars it is expressed in)")
        return self


class Publication(Record):
    """A published article or post, named as a reader would look it up."""

    headline: NonEmpty = Field(description="Headline as published, in its own language.")
    outlet: NonEmpty = Field(description="Outlet or platform that published it.")
    date: Date | None = Field(default=None, description="Publication date, if known.")
    date_precision: Precision = "day"
    url: Annotated[str, Field(pattern=URL_PATTERN, max_length=2000)] | None = None

    @model_validator(mode="after")
    def _date_matches_precision(self) -> Publication:
        if self.date is not None:
            _check_precision(self.date, self.date_precision)
        return self


class PriceIndex(Cited):
    """One year of a price index, to express amounts of different years in one year's dollars."""

    year: Annotated[int, Field(strict=True, ge=1900, le=2100)]
    value: Annotated[Number, Field(gt=0)]
    series: NonEmpty = Field(description="Which index, e.g. 'CPI-U, annual average'.")
    sources: SourceIds


class Correction(Cited):
    id: Id
    found_in: Publication = Field(description="The published article the correction corrects.")
    said: Quote
    truth: Text
    sources: SourceIds


class Document(Record):
    """The whole data file. Tables are validated record by record (see `TABLES`) so that one bad
    record does not hide the problems of the others."""

    meta: Meta
    publishers: list[Publisher]
    sources: list[Source]
    organisations: list[Organisation]
    people: list[Person]
    commitments: list[Commitment]
    events: list[Event]
    market_moves: list[MarketMove]
    claims: list[Claim]
    fx: list[FxRate]
    comparisons: list[Comparison]
    price_index: list[PriceIndex] = []
    corrections: list[Correction]


TABLES: dict[str, type[Record]] = {
    name: field.annotation.__args__[0]  # type: ignore[union-attr]
    for name, field in Document.model_fields.items()
    if name != "meta"
}


def json_schema_text() -> str:
    """The committed `data/stargate.schema.json`, byte for byte."""
    schema = Document.model_json_schema()
    schema["title"] = "Stargate Explained dataset"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
