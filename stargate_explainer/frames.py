"""Frames derived from the dataset for the views: computed once per kernel, language-free.

Each function takes a `Dataset` and returns plain pandas frames or small records; the figures
and widgets only read them. Anything a view plots keeps its `source_ids`, so that footers are
computed from the plotted values rather than written by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from . import i18n
from .dataset import Dataset
from .funding import shares_from_amounts
from .problems import DataError, Problem

VENTURE_ID = "stargate"
ANNOUNCEMENT_EVENT_ID = "stargate-announced"
INITIAL_DEPLOYMENT_EVENT_ID = "stargate-100b-immediate"
RING_RADII = (0.0, 1.2, 2.2, 3.3)
STATUS_SEVERITY = ("confirmed", "reported", "unverified")


def worst_status(statuses) -> str:
    """The least certain status among `statuses`: a preset built from one disputed value is
    disputed."""
    return max(statuses, key=STATUS_SEVERITY.index, default="confirmed")


def needs_warning(status: str) -> bool:
    """Whether a value of this status gets the "not confirmed" warning wherever it is plotted."""
    return status != "confirmed"


def cited(*groups) -> tuple[str, ...]:
    """Source ids of several plotted values, de-duplicated in first-seen order."""
    seen: dict[str, None] = {}
    for group in groups:
        for ids in group:
            for source_id in ids:
                seen.setdefault(source_id, None)
    return tuple(seen)


@dataclass(frozen=True)
class Preset:
    key: str
    as_of: pd.Timestamp | None
    amounts_usd_bn: dict[str, float]
    shares: dict[str, float]
    status: str
    source_ids: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class FxChoice:
    currency: str
    rate: float
    date: pd.Timestamp | None
    source_ids: tuple[str, ...]


class Frames:
    """Everything the views need, derived lazily from one `Dataset` and then kept."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        problems = self.missing_anchors()
        if problems:
            raise DataError(problems)

    def missing_anchors(self) -> list[Problem]:
        """The records the explainer is built around. A file can be valid data without them (the
        tests' minimal dataset is), but the views cannot be drawn from it."""
        dataset, name = self.dataset, str(self.dataset.path)
        problems = []
        if VENTURE_ID not in set(dataset.organisations["id"]):
            problems.append(
                Problem(name, 1, "organisations", f"the views need organisation '{VENTURE_ID}'")
            )
        events = dataset.events.set_index("id")
        for event_id in (ANNOUNCEMENT_EVENT_ID, INITIAL_DEPLOYMENT_EVENT_ID):
            if event_id not in events.index or pd.isna(events.loc[event_id, "amount_usd_bn"]):
                problems.append(
                    Problem(
                        name, 1, "events", f"the views need event '{event_id}' with amount_usd_bn"
                    )
                )
        needs = {
            "an equity commitment to the venture with amount_usd_bn": not self.equity_to_venture[
                "amount_usd_bn"
            ]
            .notna()
            .any(),
            "a market move": dataset.market_moves.empty,
            "a comparison of kind us_gdp": not (dataset.comparisons["kind"] == "us_gdp").any(),
        }
        problems += [
            Problem(name, 1, "(dataset)", f"the views need {what}")
            for what, missing in needs.items()
            if missing
        ]
        return problems

    # --- dates -------------------------------------------------------------------------
    @cached_property
    def announcement(self) -> pd.Series:
        events = self.dataset.events.set_index("id")
        return events.loc[ANNOUNCEMENT_EVENT_ID]

    @cached_property
    def initial_deployment(self) -> pd.Series:
        return self.dataset.events.set_index("id").loc[INITIAL_DEPLOYMENT_EVENT_ID]

    # --- organisations -------------------------------------------------------------------
    @cached_property
    def organisations(self) -> pd.DataFrame:
        return self.dataset.organisations.set_index("id", drop=False)

    @cached_property
    def equity_to_venture(self) -> pd.DataFrame:
        commitments = self.dataset.commitments
        return commitments[(commitments["kind"] == "equity") & (commitments["to_id"] == VENTURE_ID)]

    @cached_property
    def funders(self) -> list[str]:
        """Equity funders of the venture with a reported amount, largest first (the split can
        only be drawn for funders whose amount is known)."""
        equity = self.equity_to_venture.dropna(subset=["amount_usd_bn"])
        order = equity.groupby("org_id")["amount_usd_bn"].max()
        return sorted(order.index, key=lambda org: (-order[org], org))

    @cached_property
    def technology_partners(self) -> list[str]:
        commitments = self.dataset.commitments
        technology = commitments[
            (commitments["kind"] == "technology") & (commitments["to_id"] == VENTURE_ID)
        ]
        return sorted(set(technology["org_id"]))

    # --- funding -------------------------------------------------------------------------
    @cached_property
    def presets(self) -> list[Preset]:
        """One preset per date on which amounts were reported, carrying each funder's latest
        earlier amount when that date's report does not name it, plus equal shares."""
        equity = self.equity_to_venture.dropna(subset=["amount_usd_bn"]).sort_values(
            ["as_of", "id"], kind="stable"
        )
        presets = []
        for as_of in sorted(equity["as_of"].unique()):
            known = equity[equity["as_of"] <= as_of]
            latest = known.groupby("org_id").tail(1).set_index("org_id")
            latest = latest.loc[[f for f in self.funders if f in latest.index]]
            amounts = latest["amount_usd_bn"].to_dict()
            presets.append(
                Preset(
                    key=f"reported-{pd.Timestamp(as_of).date()}",
                    as_of=pd.Timestamp(as_of),
                    amounts_usd_bn=amounts,
                    shares=shares_from_amounts(amounts),
                    status=worst_status(latest["status"]),
                    source_ids=cited(latest["source_ids"]),
                )
            )
        equal = {funder: 100.0 / len(self.funders) for funder in self.funders}
        presets.append(Preset("equal", None, {}, equal, "unverified"))
        return presets

    def fx(self, currency: str) -> FxChoice:
        """The rate nearest the announcement, so converted amounts read as they did then."""
        if currency == "USD":
            return FxChoice("USD", 1.0, None, ())
        rates = self.dataset.fx[
            (self.dataset.fx["base"] == "USD") & (self.dataset.fx["quote"] == currency)
        ]
        distance = (rates["date"] - self.announcement["date"]).abs()
        row = rates.loc[distance.idxmin()]
        return FxChoice(currency, float(row["rate"]), row["date"], tuple(row["source_ids"]))

    @cached_property
    def currencies(self) -> list[str]:
        """USD and every currency with a dated USD rate that the explainer can write out."""
        quotes = set(self.dataset.fx.loc[self.dataset.fx["base"] == "USD", "quote"])
        return ["USD", *sorted(quotes & set(i18n.terms("currency")) - {"USD"})]

    @cached_property
    def programmes(self) -> pd.DataFrame:
        comparisons = self.dataset.comparisons
        return comparisons[
            (comparisons["kind"] == "programme") & comparisons["adjusted_usd_bn"].notna()
        ].sort_values("adjusted_usd_bn")

    @cached_property
    def latest_gdp(self) -> pd.Series:
        gdp = self.dataset.comparisons[self.dataset.comparisons["kind"] == "us_gdp"]
        return gdp.sort_values("period").iloc[-1]

    def funder_names(self, lang: str) -> dict[str, str]:
        return {f: self.organisations.loc[f, f"name_{lang}"] for f in self.funders}

    # --- org chart -----------------------------------------------------------------------
    @cached_property
    def org_nodes(self) -> pd.DataFrame:
        """Organisations with at least one commitment, on rings around the venture (funders,
        technology partners, then everyone else), plus their people just outside their org."""
        commitments = self.dataset.commitments
        involved = set(commitments["org_id"]) | set(commitments["to_id"])
        rings = [
            [VENTURE_ID],
            self.funders,
            [t for t in self.technology_partners if t not in self.funders],
        ]
        placed = {org for ring in rings for org in ring}
        rings.append(sorted(involved - placed))
        rows = []
        for level, ring in enumerate(rings):
            radius = RING_RADII[level]
            for index, org_id in enumerate(ring):
                angle = math.pi / 2 - 2 * math.pi * (index + 0.5 * (level % 2)) / max(len(ring), 1)
                org = self.organisations.loc[org_id]
                rows.append(
                    {
                        "id": org_id,
                        "kind": "organisation",
                        "group": ("venture", "funder", "technology", "other")[level],
                        "x": radius * math.cos(angle),
                        "y": radius * math.sin(angle),
                        "name_en": org["name_en"],
                        "name_ja": org["name_ja"],
                        "role_en": org["role_en"],
                        "role_ja": org["role_ja"],
                        "source_ids": org["source_ids"],
                    }
                )
        nodes = pd.DataFrame(rows)
        positions = nodes.set_index("id")[["x", "y"]]
        people = self.dataset.people[self.dataset.people["org_id"].isin(positions.index)]
        person_rows = []
        for org_id, group in people.groupby("org_id", sort=True):
            x, y = positions.loc[org_id, "x"], positions.loc[org_id, "y"]
            base = math.atan2(y, x) if (x, y) != (0, 0) else -math.pi / 2
            for index, person in enumerate(group.itertuples()):
                angle = base + (index - (len(group) - 1) / 2) * 0.35
                person_rows.append(
                    {
                        "id": person.id,
                        "kind": "person",
                        "group": "person",
                        "x": x + 0.42 * math.cos(angle),
                        "y": y + 0.42 * math.sin(angle),
                        "name_en": person.name_en,
                        "name_ja": person.name_ja,
                        "role_en": person.role_en,
                        "role_ja": person.role_ja,
                        "source_ids": person.source_ids,
                        "org_id": org_id,
                    }
                )
        return pd.concat([nodes, pd.DataFrame(person_rows)], ignore_index=True)

    @cached_property
    def org_edges(self) -> pd.DataFrame:
        """One row per commitment, with the end points' positions."""
        positions = self.org_nodes.set_index("id")[["x", "y"]]
        edges = self.dataset.commitments.copy()
        edges[["x0", "y0"]] = positions.loc[edges["org_id"]].to_numpy()
        edges[["x1", "y1"]] = positions.loc[edges["to_id"]].to_numpy()
        return edges

    def commitments_of(self, node_id: str) -> pd.DataFrame:
        commitments = self.dataset.commitments
        return commitments[(commitments["org_id"] == node_id) | (commitments["to_id"] == node_id)]

    # --- timeline ------------------------------------------------------------------------
    @cached_property
    def timeline(self) -> pd.DataFrame:
        return self.dataset.events.sort_values(["date", "id"]).reset_index(drop=True)

    @cached_property
    def lanes(self) -> list[str]:
        """Lanes that have events, in the vocabulary's order."""
        present = set(self.timeline["lane"])
        return [lane for lane in i18n.terms("lane") if lane in present]

    @cached_property
    def months(self) -> list[pd.Timestamp]:
        """First days of the months the timeline spans: the steps of its date range."""
        dates = self.timeline["date"]
        return [m.to_timestamp() for m in pd.period_range(dates.min(), dates.max(), freq="M")]

    def events_between(self, start: pd.Timestamp, end: pd.Timestamp, lanes) -> pd.DataFrame:
        """Events of `lanes` from the month of `start` to the end of the month of `end`."""
        events = self.timeline
        last = end + pd.offsets.MonthEnd(0)
        return events[events["lane"].isin(list(lanes)) & events["date"].between(start, last)]

    # --- markets -------------------------------------------------------------------------
    @cached_property
    def market_days(self) -> list[pd.Timestamp]:
        return sorted(self.dataset.market_moves["date"].unique())

    @cached_property
    def opening_market_day(self) -> pd.Timestamp:
        """The first trading day after the announcement: the day the markets view opens on."""
        announcement = self.announcement["date"]
        return next((d for d in self.market_days if d > announcement), self.market_days[0])

    def market_moves_on(self, day: pd.Timestamp) -> pd.DataFrame:
        """The day's moves, with the publisher of each move's first source, which labels the
        competing figures of a disputed move."""
        moves = self.dataset.market_moves
        day_moves = moves[moves["date"] == day].sort_values(["instrument", "ticker", "change_pct"])
        publishers = self.sources["publisher"]
        return day_moves.assign(publisher=[publishers[ids[0]] for ids in day_moves["source_ids"]])

    # --- claims --------------------------------------------------------------------------
    @cached_property
    def claim_threads(self) -> list[tuple[pd.Series, int]]:
        """Claims in reading order: each root claim by date, followed by its replies (depth
        first), as (claim, depth) pairs."""
        claims = self.dataset.claims.sort_values(["date", "id"])
        children: dict[str | None, list[pd.Series]] = {}
        for _, claim in claims.iterrows():
            parent = claim["replies_to"] if isinstance(claim["replies_to"], str) else None
            children.setdefault(parent, []).append(claim)
        ordered: list[tuple[pd.Series, int]] = []

        def walk(parent: str | None, depth: int) -> None:
            for claim in children.get(parent, []):
                ordered.append((claim, depth))
                walk(claim["id"], depth + 1)

        walk(None, 0)
        return ordered

    # --- sources -------------------------------------------------------------------------
    @cached_property
    def sources(self) -> pd.DataFrame:
        return self.dataset.sources.set_index("id", drop=False)

    def sources_for(self, source_ids) -> pd.DataFrame:
        return self.sources.loc[list(dict.fromkeys(source_ids))]

    def speaker_name(self, speaker_id: str, lang: str) -> str:
        column = f"name_{lang}"
        people = self.dataset.people.set_index("id")
        if speaker_id in people.index:
            return people.loc[speaker_id, column]
        return self.organisations.loc[speaker_id, column]
