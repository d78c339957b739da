"""Plotly figures of the dataset for notebook users: pure functions from a `Dataset` to a figure.

Like plotly express, each function takes data and keywords and returns a `go.Figure`; none of
them displays anything. The explainer's own views are drawn by the runtime in the browser; these
are starting points for readers who want to ask their own questions with plotly in a notebook.
Text from the data is escaped before plotly sees it, since plotly renders a subset of HTML.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from . import i18n
from .dataset import Dataset
from .page_model import ANNOUNCEMENT_EVENT_ID, equity_reports, funders

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#7a7a7a")
UNDISCLOSED = "#bdbdbd"
LANE_COLOURS = dict(
    zip(
        i18n.terms("lane"),
        ("#0072B2", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#7a7a7a", "#D55E00"),
        strict=True,
    )
)
FONT = "Noto Sans, Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, Helvetica, Arial, sans-serif"


def _escape(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _layout(title: str, **extra) -> dict:
    return dict(
        title=dict(text=_escape(title), x=0, xanchor="left"),
        font=dict(family=FONT, size=13),
        template="simple_white",
        margin=dict(l=10, r=10, t=48, b=10),
        **extra,
    )


def reported_equity(dataset: Dataset, lang: str = "en") -> go.Figure:
    """The announced total split into the equity amounts reported for each funder, one bar per
    date an amount was reported, each funder's amount as it stood then (the rule on
    superseded figures is `page_model.equity_reports`'s, which the explainer's own chart draws
    too), and what was not disclosed."""
    events = dataset.events.set_index("id")
    announced = float(events.loc[ANNOUNCEMENT_EVENT_ID, "amount_usd_bn"])
    reports = equity_reports(dataset.document)["amounts"]
    amounts = dataset.commitments.set_index("id")["amount_usd_bn"]
    owners = dataset.commitments.set_index("id")["org_id"]
    names = dataset.organisations.set_index("id")[f"name_{lang}"]
    labels = [
        i18n.text("funding.as_of", lang, date=i18n.format_date(pd.Timestamp(r["as_of"]), lang))
        for r in reports
    ]
    figure = go.Figure()
    for index, funder in enumerate(funders(dataset.document)):
        values = [
            sum(float(amounts[id_]) for id_ in r["records"] if owners[id_] == funder)
            for r in reports
        ]
        figure.add_bar(
            x=values,
            y=labels,
            orientation="h",
            name=_escape(names[funder]),
            marker_color=PALETTE[index % len(PALETTE)],
            text=[i18n.format_money(v, lang) if v else "" for v in values],
        )
    undisclosed = [announced - r["total"] for r in reports]
    figure.add_bar(
        x=undisclosed,
        y=labels,
        orientation="h",
        name=_escape(i18n.text("funding.undisclosed", lang)),
        marker=dict(color=UNDISCLOSED, pattern_shape="/"),
        text=[i18n.format_money(v, lang) for v in undisclosed],
    )
    figure.update_layout(
        **_layout(
            i18n.text("funding.known_chart", lang, total=i18n.format_money(announced, lang)),
            barmode="stack",
            height=140 + 60 * len(reports),
            legend=dict(orientation="h", y=-0.2),
        )
    )
    figure.update_xaxes(title_text=_escape("US$ billions" if lang == "en" else "10億ドル"))
    return figure


def timeline(dataset: Dataset, lang: str = "en", lanes: list[str] | None = None) -> go.Figure:
    """Events by lane over time: filled markers happened, hollow ones were planned."""
    events = dataset.events.sort_values(["date", "id"])
    lanes = lanes or [lane for lane in i18n.terms("lane") if lane in set(events["lane"])]
    figure = go.Figure()
    for lane in lanes:
        rows = events[events["lane"] == lane]
        label = i18n.term("lane", lane, lang)
        figure.add_scatter(
            x=rows["date"],
            y=[label] * len(rows),
            mode="markers",
            name=_escape(label),
            customdata=rows["id"],
            hovertext=[
                f"{_escape(i18n.format_date(r.date, lang, r.date_precision))}<br>"
                f"{_escape(getattr(r, f'title_{lang}'))}"
                for r in rows.itertuples()
            ],
            hoverinfo="text",
            marker=dict(
                size=11,
                color=LANE_COLOURS[lane],
                line=dict(color=LANE_COLOURS[lane], width=2),
                symbol=["circle-open" if planned else "circle" for planned in rows["planned"]],
            ),
        )
    figure.update_layout(**_layout(i18n.text("view.timeline", lang), height=420))
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=[i18n.term("lane", lane, lang) for lane in reversed(lanes)],
    )
    return figure


def market_moves(dataset: Dataset, day: str, lang: str = "en") -> go.Figure:
    """Percent moves on one trading day (`YYYY-MM-DD`), one bar per source's figure."""
    moves = dataset.market_moves
    moves = moves[(moves["date"] == pd.Timestamp(day)) & (moves["unit"] == "pct")]
    publishers = dataset.sources.set_index("id")["publisher"]
    labels = [
        f"{_escape(getattr(m, f'name_{lang}'))} ({_escape(publishers[m.source_ids[0]])})"
        for m in moves.itertuples()
    ]
    figure = go.Figure(
        go.Bar(
            x=moves["change_pct"],
            y=labels,
            orientation="h",
            marker_color=["#0072B2" if c >= 0 else "#D55E00" for c in moves["change_pct"]],
            text=[i18n.format_percent(c, 2, signed=True) for c in moves["change_pct"]],
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.update_layout(**_layout(i18n.text("markets.change", lang), height=120 + 34 * len(moves)))
    figure.update_xaxes(ticksuffix="%")
    figure.update_yaxes(autorange="reversed")
    return figure
