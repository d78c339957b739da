"""Pure functions from frames to plotly figures: one visual language for every view.

Like plotly express, each function takes data and keywords and returns a `go.Figure`; none of
them reads files or displays anything. Text from the data is escaped before plotly sees it,
because plotly renders a subset of HTML in labels and hover text.
"""

from __future__ import annotations

import functools
import textwrap

import pandas as pd
import plotly.graph_objects as go

from . import i18n
from .panels import escape

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
GREY = "#8c8c8c"
LABEL_WIDTH = 30  # characters per axis-label line, so long names fit beside a phone-width chart
POSITIVE, NEGATIVE = "#0072B2", "#D55E00"
FONT = "Noto Sans, Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, Helvetica, Arial, sans-serif"

# Vermillion is kept for disputes alone, since a black ring marks doubtful items in any lane.
LANE_COLOURS = dict(
    zip(
        i18n.terms("lane"),
        ("#0072B2", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#7a7a7a", "#D55E00"),
        strict=True,
    )
)
DOUBTFUL_RING = "#000000"
COMMITMENT_STYLES = {
    "equity": (PALETTE[0], "solid", 4),
    "technology": (PALETTE[2], "dash", 2.5),
    "operations": (PALETTE[1], "dot", 3),
    "financing": (PALETTE[5], "dashdot", 2.5),
    "compute_purchase": (PALETTE[4], "longdash", 2.5),
}
NODE_STYLES = {
    "venture": ("#000000", 30, "square"),
    "funder": (PALETTE[0], 22, "circle"),
    "technology": (PALETTE[2], 18, "diamond"),
    "other": (GREY, 14, "circle"),
    "person": ("#ffffff", 10, "circle"),
}


@functools.lru_cache(maxsize=8192)
def wrap(value: str, lang: str, width: int = 60) -> str:
    """Escaped text broken into hover-sized lines (Japanese has no spaces, so cut by count).
    Cached: a timeline redraw wraps the same summaries again and again."""
    if lang == "ja":
        width //= 2
        lines = [value[i : i + width] for i in range(0, len(value), width)]
    else:
        lines = textwrap.wrap(value, width) or [""]
    return "<br>".join(escape(line) for line in lines)


# A small template of our own: "plotly_white" carries defaults for every trace type, and copying
# and validating it made up most of the time of each redraw.
TEMPLATE = dict(
    layout=dict(
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(
            gridcolor="#E5ECF6", linecolor="#BBBBBB", zerolinecolor="#BBBBBB", automargin=True
        ),
        yaxis=dict(
            gridcolor="#E5ECF6", linecolor="#BBBBBB", zerolinecolor="#BBBBBB", automargin=True
        ),
        colorway=PALETTE,
    )
)


_AXES_DARK = dict(gridcolor="#2f3540", linecolor="#5a6270", zerolinecolor="#8a93a3")
# Themes the page applies when it draws a figure (`chart_tools.js`), so switching theme needs no
# kernel round trip and works in the static site. `swap` replaces ink colours that would vanish
# on a dark page (the black venture node and dispute rings, dark outlines).
THEMES = {
    "light": {
        "layout": {
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "font": {"color": "#222222"},
        },
        "swap": {},
    },
    "dark": {
        "layout": {
            "paper_bgcolor": "#16181d",
            "plot_bgcolor": "#16181d",
            "font": {"color": "#e6e6e6"},
            "xaxis": _AXES_DARK,
            "yaxis": _AXES_DARK,
            "legend": {"bgcolor": "rgba(0,0,0,0)"},
        },
        "swap": {"#000000": "#f2f2f2", "#333333": "#c8c8c8", "#bbbbbb": "#59606b"},
    },
}


class _Figure:
    """Collects traces and layout as plain dicts and makes one `go.Figure` without plotly's
    per-property validation, which cost more than everything else in a redraw. The tests
    re-validate every figure with plotly's validators."""

    def __init__(self) -> None:
        self.data: list[dict] = []
        self.layout: dict = {}

    def add(self, kind: str, **trace) -> _Figure:
        self.data.append({"type": kind, **trace})
        return self

    def update(self, **layout) -> _Figure:
        for key, value in layout.items():
            if isinstance(value, dict) and isinstance(self.layout.get(key), dict):
                self.layout[key] = {**self.layout[key], **value}
            else:
                self.layout[key] = value
        return self

    def build(self) -> go.Figure:
        return go.Figure(data=self.data, layout=self.layout, _validate=False)


def _layout(title: str, **extra) -> dict:
    return dict(
        title=dict(text=escape(title), x=0, xanchor="left", font=dict(size=16)),
        font=dict(family=FONT, size=13, color="#222222"),
        template=TEMPLATE,
        margin=dict(l=10, r=10, t=48, b=10),
        hoverlabel=dict(font=dict(family=FONT)),
        **extra,
    )


def org_chart(
    nodes: pd.DataFrame, edges: pd.DataFrame, lang: str, selected: str | None = None
) -> go.Figure:
    """Organisations and people as a network; commitments as edges whose colour and dash tell
    their kind, so the chart still reads in greyscale."""
    figure = _Figure()
    names = nodes.set_index("id")[f"name_{lang}"]
    for kind, (colour, dash, width) in COMMITMENT_STYLES.items():
        subset = edges[edges["kind"] == kind]
        if subset.empty:
            continue
        xs, ys, mid_x, mid_y, hover = [], [], [], [], []
        for edge in subset.itertuples():
            xs += [edge.x0, edge.x1, None]
            ys += [edge.y0, edge.y1, None]
            mid_x.append((edge.x0 + edge.x1) / 2)
            mid_y.append((edge.y0 + edge.y1) / 2)
            amount = (
                ""
                if pd.isna(edge.amount_usd_bn)
                else f" · {i18n.format_money(edge.amount_usd_bn, lang)}"
            )
            share = (
                ""
                if pd.isna(edge.share_pct)
                else f" · {i18n.format_percent(edge.share_pct, lang, 0)}"
            )
            hover.append(
                f"{escape(names[edge.org_id])} → {escape(names[edge.to_id])}<br>"
                f"{escape(i18n.term('commitment', kind, lang))}{escape(amount)}{escape(share)}"
                f"<br><i>{escape(i18n.term('status', edge.status, lang))}</i>"
            )
        label = i18n.term("commitment", kind, lang)
        figure.add(
            "scatter",
            x=xs,
            y=ys,
            mode="lines",
            name=label,
            legendgroup=kind,
            hoverinfo="skip",
            line=dict(color=colour, dash=dash, width=width),
        )
        figure.add(
            "scatter",
            x=mid_x,
            y=mid_y,
            mode="markers",
            legendgroup=kind,
            showlegend=False,
            marker=dict(size=9, color=colour, opacity=0.35),
            hovertext=hover,
            hoverinfo="text",
        )
    people = nodes[nodes["kind"] == "person"]
    if not people.empty:
        links_x, links_y = [], []
        org_positions = nodes.set_index("id")
        for person in people.itertuples():
            links_x += [person.x, org_positions.loc[person.org_id, "x"], None]
            links_y += [person.y, org_positions.loc[person.org_id, "y"], None]
        figure.add(
            "scatter",
            x=links_x,
            y=links_y,
            mode="lines",
            hoverinfo="skip",
            showlegend=False,
            line=dict(color="#bbbbbb", width=1),
        )
    for group, (colour, size, symbol) in NODE_STYLES.items():
        subset = nodes[nodes["group"] == group]
        if subset.empty:
            continue
        is_selected = subset["id"] == selected
        figure.add(
            "scatter",
            x=subset["x"],
            y=subset["y"],
            mode="markers+text",
            showlegend=False,
            text=[escape(name) for name in subset[f"name_{lang}"]],
            textposition="bottom center",
            textfont=dict(size=11 if group == "person" else 12),
            customdata=subset["id"],
            hovertext=[
                f"<b>{escape(row[f'name_{lang}'])}</b><br>{wrap(row[f'role_{lang}'], lang)}"
                for _, row in subset.iterrows()
            ],
            hoverinfo="text",
            marker=dict(
                color=colour,
                size=size,
                symbol=symbol,
                line=dict(
                    color=["#D55E00" if s else "#333333" for s in is_selected],
                    width=[4 if s else 1 for s in is_selected],
                ),
            ),
        )
    figure.update(
        **_layout(
            i18n.text("org.chart_title", lang),
            height=680,
            legend=dict(orientation="h", y=-0.02, x=0, title=None),
            clickmode="event",
            dragmode="pan",
        )
    )
    figure.update(xaxis=dict(visible=False, scaleanchor="y", scaleratio=1))
    figure.update(yaxis=dict(visible=False))
    return figure.build()


def funding_per_funder(
    per_funder: pd.DataFrame,
    names: dict[str, str],
    colours: dict[str, str],
    lang: str,
    currency: str = "USD",
    rate: float = 1.0,
) -> go.Figure:
    labels = [escape(names[f]) for f in per_funder["funder"]]
    figure = _Figure().add(
        "bar",
        x=per_funder["amount_usd_bn"] * rate,
        y=labels,
        orientation="h",
        marker_color=[colours[f] for f in per_funder["funder"]],
        text=[
            f"{i18n.format_money(a, lang, currency, rate)} ({i18n.format_percent(s, lang)})"
            for a, s in zip(per_funder["amount_usd_bn"], per_funder["share_pct"], strict=True)
        ],
        textposition="auto",
        customdata=per_funder["funder"],
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    figure.update(**_layout(i18n.text("funding.per_funder", lang), height=260, showlegend=False))
    figure.update(yaxis=dict(autorange="reversed"))
    figure.update(
        xaxis=dict(title=dict(text=escape(_unit_label(currency, lang))), rangemode="tozero")
    )
    return figure.build()


def funding_per_year(
    per_year: pd.DataFrame,
    names: dict[str, str],
    colours: dict[str, str],
    lang: str,
    currency: str = "USD",
    rate: float = 1.0,
) -> go.Figure:
    figure = _Figure()
    for funder, rows in per_year.groupby("funder", sort=False):
        figure.add(
            "bar",
            x=[str(y) for y in rows["year"]],
            y=rows["amount_usd_bn"] * rate,
            name=escape(names[funder]),
            marker_color=colours[funder],
            hovertext=[
                f"{escape(names[funder])}: {i18n.format_money(a, lang, currency, rate)}"
                for a in rows["amount_usd_bn"]
            ],
            hovertemplate="%{x} · %{hovertext}<extra></extra>",
        )
    figure.update(
        **_layout(
            i18n.text("funding.per_year", lang),
            height=300,
            barmode="stack",
            legend=dict(orientation="h", y=-0.15, x=0),
        )
    )
    figure.update(
        yaxis=dict(title=dict(text=escape(_unit_label(currency, lang))), rangemode="tozero")
    )
    figure.update(xaxis=dict(type="category"))
    return figure.build()


def scale_comparison(programmes: pd.DataFrame, stargate_total: float, lang: str) -> go.Figure:
    """Historic programmes (inflation-adjusted by their sources) beside the Stargate total."""
    labels = [
        wrap(row[f"name_{lang}"], lang, LABEL_WIDTH)
        + (f"<br>({row['base_year']} $)" if lang == "en" else f"<br>（{row['base_year']}年ドル）")
        for _, row in programmes.iterrows()
    ]
    stargate_label = escape(i18n.text("funding.stargate", lang))
    values = [*programmes["adjusted_usd_bn"], stargate_total]
    figure = _Figure().add(
        "bar",
        x=values,
        y=[*labels, stargate_label],
        orientation="h",
        marker_color=[GREY] * len(programmes) + [PALETTE[0]],
        text=[i18n.format_money(v, lang) for v in values],
        textposition="auto",
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    figure.update(
        **_layout(i18n.text("funding.scale", lang), height=90 + 56 * len(values), showlegend=False)
    )
    figure.update(xaxis=dict(title=dict(text=escape(_unit_label("USD", lang))), rangemode="tozero"))
    return figure.build()


def gdp_share(programmes: pd.DataFrame, stargate_share_pct: float, lang: str) -> go.Figure:
    with_share = programmes.dropna(subset=["peak_gdp_share_pct"])
    labels = [wrap(name, lang, LABEL_WIDTH) for name in with_share[f"name_{lang}"]]
    values = [*with_share["peak_gdp_share_pct"], stargate_share_pct]
    figure = _Figure().add(
        "bar",
        x=values,
        y=[*labels, escape(i18n.text("funding.stargate", lang))],
        orientation="h",
        marker_color=[GREY] * len(with_share) + [PALETTE[0]],
        text=[i18n.format_percent(v, lang, 2) for v in values],
        textposition="auto",
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    figure.update(
        **_layout(
            i18n.text("funding.gdp_share", lang), height=90 + 56 * len(values), showlegend=False
        )
    )
    figure.update(xaxis=dict(ticksuffix="%", rangemode="tozero"))
    return figure.build()


def timeline(
    events: pd.DataFrame, lang: str, lanes: list[str], range_slider: bool = False
) -> go.Figure:
    """Events by lane over time: filled markers happened, hollow ones were planned, a black
    ring marks what is disputed or unverified."""
    figure = _Figure()
    lane_labels = {lane: i18n.term("lane", lane, lang) for lane in lanes}
    for lane in lanes:
        rows = events[events["lane"] == lane]
        if rows.empty:
            continue
        hover = [
            f"<b>{escape(i18n.format_date(r.date, lang, r.date_precision))}</b><br>"
            f"<b>{escape(getattr(r, f'title_{lang}'))}</b><br>{wrap(getattr(r, f'summary_{lang}'), lang)}"
            f"<br><i>{escape(i18n.term('status', r.status, lang))}</i>"
            for r in rows.itertuples()
        ]
        figure.add(
            "scatter",
            x=rows["date"],
            y=[lane_labels[lane]] * len(rows),
            mode="markers",
            name=escape(lane_labels[lane]),
            customdata=rows["id"],
            hovertext=hover,
            hoverinfo="text",
            marker=dict(
                size=13,
                color=LANE_COLOURS[lane],
                line=dict(color=LANE_COLOURS[lane], width=2),
                symbol=["circle-open" if planned else "circle" for planned in rows["planned"]],
            ),
        )
    doubtful = events[(events["status"] == "unverified") & events["lane"].isin(lanes)]
    if not doubtful.empty:
        figure.add(
            "scatter",
            x=doubtful["date"],
            y=[lane_labels[lane] for lane in doubtful["lane"]],
            mode="markers",
            name=escape(i18n.text("timeline.disputed", lang)),
            hoverinfo="skip",
            marker=dict(size=22, symbol="circle-open", color=DOUBTFUL_RING, line=dict(width=2)),
        )
    figure.update(
        **_layout(
            i18n.text("view.timeline", lang),
            height=460,
            clickmode="event",
            legend=dict(orientation="h", y=-0.18, x=0),
        )
    )
    figure.update(
        yaxis=dict(
            categoryorder="array", categoryarray=[lane_labels[lane] for lane in reversed(lanes)]
        )
    )
    if range_slider:  # the static site's date control, which needs no kernel
        figure.update(height=560, xaxis=dict(rangeslider=dict(visible=True, thickness=0.08)))
        figure.update(legend=dict(orientation="h", y=-0.42, x=0))
    return figure.build()


def market_moves(moves: pd.DataFrame, lang: str) -> go.Figure:
    """Percent moves on one trading day; a security with disputed figures gets one bar per
    source's figure, labelled with the publisher."""
    moves = moves[moves["unit"] == "pct"]
    labels = [
        escape(getattr(m, f"name_{lang}"))
        + (f"<br>{wrap(m.publisher, lang, LABEL_WIDTH)}" if m.status == "disputed" else "")
        for m in moves.itertuples()
    ]
    figure = _Figure().add(
        "bar",
        x=moves["change_pct"],
        y=labels,
        orientation="h",
        marker_color=[POSITIVE if c >= 0 else NEGATIVE for c in moves["change_pct"]],
        marker_pattern_shape=["/" if s == "disputed" else "" for s in moves["status"]],
        text=[i18n.format_percent(c, lang, 2, signed=True) for c in moves["change_pct"]],
        textposition="outside",  # readable over the hatching of disputed figures
        cliponaxis=False,
        customdata=moves["id"],
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    figure.update(
        **_layout(i18n.text("markets.change", lang), height=100 + 44 * len(moves), showlegend=False)
    )
    figure.update(margin=dict(r=64))  # room for the outside label of the longest bar
    figure.update(xaxis=dict(ticksuffix="%", zeroline=True, zerolinecolor="#555"))
    figure.update(yaxis=dict(autorange="reversed"))
    return figure.build()


def _unit_label(currency: str, lang: str) -> str:
    if lang == "ja":
        return {"USD": "10億ドル", "JPY": "10億円", "CNY": "10億元"}[currency]
    return {"USD": "US$ billions", "JPY": "¥ billions", "CNY": "CN¥ billions"}[currency]
