"""Each chart with the rows it plots: one object behind the figure, its table, its CSV, its
images and its source line.

A `Chart` is built from the same frame rows that go into its figure, so the table a reader
opens, the CSV they download and the sources listed under the chart all describe exactly the
plotted values. `payload` turns a chart into the JSON the page script (`chart_tools.js`) needs
in both the live dashboard and the static site.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from . import figures, funding, i18n, panels
from .frames import STATUS_SEVERITY, Frames, FxChoice, Preset, cited, needs_warning, worst_status
from .state import ViewState

# Columns every chart's rows carry besides their data columns.
STATUS, SOURCES = "status", "source_ids"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    figure: go.Figure
    rows: pd.DataFrame  # data columns, then STATUS and SOURCES

    @property
    def columns(self) -> list[str]:
        return [c for c in self.rows.columns if c not in (STATUS, SOURCES)]

    @property
    def source_ids(self) -> tuple[str, ...]:
        return cited(self.rows[SOURCES])

    @property
    def status(self) -> str:
        return worst_status(self.rows[STATUS])


def _rows(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records)


def _title(figure: go.Figure) -> str:
    return figure.layout.title.text or ""


# --- builders: one per chart, each returns figure and rows together ---------------------------
def org_chart(frames: Frames, lang: str, selected: str | None = None) -> Chart:
    nodes, edges = frames.org_nodes, frames.org_edges
    names = nodes.set_index("id")[f"name_{lang}"]
    figure = figures.org_chart(nodes, edges, lang, selected)
    rows = _rows(
        [
            {
                "from": names[e.org_id],
                "to": names[e.to_id],
                "kind": i18n.term("commitment", e.kind, lang),
                "amount_usd_bn": e.amount_usd_bn,
                "share_pct": e.share_pct,
                "as_of": _day(e.as_of),
                STATUS: e.status,
                SOURCES: tuple(e.source_ids),
            }
            for e in edges.itertuples()
        ]
    )
    return Chart("org-chart", i18n.text("org.chart_title", lang), figure, rows)


@dataclass(frozen=True)
class Split:
    """A funding split as the funding view holds it: the preset it came from (None for the
    reader's own), the shares, the total and the currency."""

    preset: Preset | None
    shares: dict[str, float]
    total: float
    fx: FxChoice

    @property
    def reported(self) -> bool:
        return self.preset is not None and self.preset.key != "equal"


def _split_sources(frames: Frames, split: Split) -> tuple[tuple[str, ...], str]:
    """Sources and status of amounts derived from a split: the announced total, the exchange
    rate, and the reported amounts when the shares are a reported preset's."""
    announcement = frames.announcement
    ids = cited(
        [announcement["source_ids"], split.fx.source_ids],
        [split.preset.source_ids] if split.reported else [],
    )
    statuses = [announcement["status"]] + ([split.preset.status] if split.reported else [])
    return ids, worst_status(statuses)


def funding_charts(frames: Frames, lang: str, split: Split, with_scale: bool = True) -> list[Chart]:
    """The funding view's charts for one split: per funder and per year, then (`with_scale`)
    the comparisons, which depend on the total alone and need no redraw when a share moves."""
    names = frames.funder_names(lang)
    colours = dict(zip(frames.funders, figures.PALETTE, strict=False))
    fx, total = split.fx, split.total
    ids, status = _split_sources(frames, split)
    per_funder = funding.amounts_per_funder(total, split.shares)
    figure = figures.funding_per_funder(per_funder, names, colours, lang, fx.currency, fx.rate)
    funder_rows = _rows(
        [
            {
                "funder": names[r.funder],
                "share_pct": r.share_pct,
                "amount_bn": r.amount_usd_bn * fx.rate,
                "currency": fx.currency,
                STATUS: status,
                SOURCES: ids,
            }
            for r in per_funder.itertuples()
        ]
    )
    charts = [Chart("funding-per-funder", _title(figure), figure, funder_rows)]

    initial = frames.initial_deployment
    per_year = funding.amounts_per_year(total, split.shares, float(initial["amount_usd_bn"]))
    year_ids = cited([ids, initial["source_ids"]])
    year_status = worst_status([status, initial["status"]])
    figure = figures.funding_per_year(per_year, names, colours, lang, fx.currency, fx.rate)
    year_rows = _rows(
        [
            {
                "year": r.year,
                "funder": names[r.funder],
                "amount_bn": r.amount_usd_bn * fx.rate,
                "currency": fx.currency,
                STATUS: year_status,
                SOURCES: year_ids,
            }
            for r in per_year.itertuples()
        ]
    )
    charts.append(Chart("funding-per-year", _title(figure), figure, year_rows))
    if not with_scale:
        return charts

    programmes = frames.programmes
    stargate = i18n.text("funding.stargate", lang)
    figure = figures.scale_comparison(programmes, total, lang)
    scale_rows = _comparison_rows(
        programmes,
        lang,
        {"base_year": "base_year", "amount_usd_bn": "adjusted_usd_bn"},
        {
            "name": stargate,
            "base_year": None,
            "amount_usd_bn": total,
            STATUS: frames.announcement["status"],
            SOURCES: tuple(frames.announcement["source_ids"]),
        },
    )
    charts.append(Chart("funding-scale", _title(figure), figure, scale_rows))

    gdp = frames.latest_gdp
    peak = per_year.groupby("year")["amount_usd_bn"].sum().max()
    share = 100 * peak / gdp["nominal_usd_bn"]
    with_share = programmes.dropna(subset=["peak_gdp_share_pct"])
    figure = figures.gdp_share(programmes, share, lang)
    gdp_rows = _comparison_rows(
        with_share,
        lang,
        {"peak_gdp_share_pct": "peak_gdp_share_pct"},
        {
            "name": stargate,
            "peak_gdp_share_pct": share,
            # The peak year's total depends on the total alone, not on the shares.
            STATUS: worst_status([frames.announcement["status"], initial["status"]]),
            SOURCES: cited(
                [frames.announcement["source_ids"], initial["source_ids"], gdp["source_ids"]]
            ),
        },
    )
    charts.append(Chart("funding-gdp", _title(figure), figure, gdp_rows))
    return charts


def _comparison_rows(
    programmes: pd.DataFrame, lang: str, columns: dict[str, str], stargate: dict
) -> pd.DataFrame:
    """Historic programmes (`columns`: row column ← comparison column), each cited by its own
    sources, then the Stargate row."""
    return _rows(
        [
            {
                "name": p[f"name_{lang}"],
                **{column: p[source] for column, source in columns.items()},
                STATUS: "confirmed",
                SOURCES: tuple(p["source_ids"]),
            }
            for _, p in programmes.iterrows()
        ]
        + [stargate]
    )


def timeline_chart(
    frames: Frames, lang: str, events: pd.DataFrame, lanes: list[str], range_slider: bool = False
) -> Chart:
    figure = figures.timeline(events, lang, lanes, range_slider=range_slider)
    shown = events[events["lane"].isin(lanes)]
    rows = _rows(
        [
            {
                "date": _day(e.date),
                "precision": e.date_precision,
                "lane": i18n.term("lane", e.lane, lang),
                "title": getattr(e, f"title_{lang}"),
                "planned": bool(e.planned),
                STATUS: e.status,
                SOURCES: tuple(e.source_ids),
            }
            for e in shown.itertuples()
        ]
    )
    return Chart(
        "timeline", i18n.text("view.timeline", lang), figure, _with_columns(rows, _TIMELINE)
    )


_TIMELINE = ["date", "precision", "lane", "title", "planned", STATUS, SOURCES]


def market_chart(frames: Frames, lang: str, day: pd.Timestamp) -> Chart:
    moves = frames.market_moves_on(day)
    figure = figures.market_moves(moves, lang)
    plotted = moves[moves["unit"] == "pct"]
    rows = _rows(
        [
            {
                "date": _day(m.date),
                "security": getattr(m, f"name_{lang}"),
                "ticker": m.ticker,
                "change_pct": m.change_pct,
                "close": m.close,
                "publisher": m.publisher,
                STATUS: m.status,
                SOURCES: tuple(m.source_ids),
            }
            for m in plotted.itertuples()
        ]
    )
    return Chart("markets", i18n.text("markets.change", lang), figure, rows)


def _with_columns(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Keeps the columns of an empty selection (a timeline with every lane hidden)."""
    return rows.reindex(columns=columns)


def _day(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


# --- the page script's view of a chart -------------------------------------------------------
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "from": ("From", "出し手"),
    "to": ("To", "受け手"),
    "kind": ("Kind", "種類"),
    "amount_usd_bn": ("Amount (US$ bn)", "金額（10億ドル）"),
    "amount_bn": ("Amount (bn)", "金額（10億）"),
    "share_pct": ("Share (%)", "比率（%）"),
    "as_of": ("As of", "時点"),
    "funder": ("Funder", "出資者"),
    "currency": ("Currency", "通貨"),
    "year": ("Year", "年"),
    "name": ("Name", "名称"),
    "base_year": ("Dollar year", "基準年"),
    "peak_gdp_share_pct": ("Peak share of GDP (%)", "GDP比の最大値（%）"),
    "date": ("Date", "日付"),
    "precision": ("Date precision", "日付の精度"),
    "lane": ("Lane", "分類"),
    "title": ("Title", "見出し"),
    "planned": ("Planned", "計画"),
    "security": ("Security", "銘柄"),
    "ticker": ("Ticker", "ティッカー"),
    "change_pct": ("Change (%)", "変化率（%）"),
    "close": ("Close", "終値"),
    "publisher": ("Publisher", "発行元"),
    STATUS: ("Status", "確度"),
    SOURCES: ("Sources", "出典"),
}


def column_label(column: str, lang: str) -> str:
    english, japanese = COLUMN_LABELS[column]
    return japanese if lang == "ja" else english


def _cell(value):
    """JSON-safe cell: NaN and missing become null, numpy scalars plain numbers."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


@functools.cache
def _source_entries(frames: Frames, lang: str) -> dict[str, dict]:
    """Every source as the page script shows it, made once per kernel and language (a redraw
    only picks the entries it cites)."""
    return {
        s.id: {
            "publisher": s.publisher,
            "title": s.title,
            "url": panels.safe_url(s.url),
            "date": i18n.format_date(s.date_published, lang) if pd.notna(s.date_published) else "",
        }
        for s in frames.sources.itertuples()
    }


def payload(frames: Frames, chart: Chart, lang: str) -> dict:
    """Everything the page script needs for one chart. Text stays raw here: the browser sets
    it with `textContent`. The footer and the images' source line are computed in the page from
    the rows' `sources` and `status`, so they stay exact when the static site filters rows."""
    entries = _source_entries(frames, lang)
    meta = frames.dataset.document.meta
    statuses = sorted(set(chart.rows[STATUS]), key=STATUS_SEVERITY.index)
    return {
        "key": chart.key,
        "lang": lang,
        "title": chart.title,
        "figure": json.loads(pio.to_json(chart.figure, validate=False)),
        "columns": chart.columns,
        "labels": {c: column_label(c, lang) for c in [*chart.columns, STATUS, SOURCES]},
        "rows": [[_cell(v) for v in row] for row in chart.rows[chart.columns].itertuples(False)],
        "status": list(chart.rows[STATUS]),
        "status_labels": {s: i18n.term("status", s, lang) for s in statuses},
        "severity": list(STATUS_SEVERITY),
        "warnings": {s: panels.STATUS_COLOURS[s] for s in statuses if needs_warning(s)},
        "sources": [list(ids) for ids in chart.rows[SOURCES]],
        "source_index": {source_id: entries[source_id] for source_id in chart.source_ids},
        "dataset_line": f"{i18n.text('app.title', lang)} · {i18n.text('app.dataset_date', lang)} "
        f"{meta.updated.isoformat()}",
        "filename": f"stargate-{chart.key}-{lang}",
        "ui": {key: i18n.text(f"chart.{key}", lang) for key in CHART_CONTROLS}
        | {
            "sources": i18n.text("footer.sources", lang),
            "warning": i18n.text("footer.status_note", lang),
        },
    }


CHART_CONTROLS = ("table", "csv", "png", "svg", "data_note")


# --- a view's charts in a given state ---------------------------------------------------------
def preset_label(preset: Preset, lang: str) -> str:
    """How a preset is offered in the dashboard's and the static site's preset list."""
    if preset.key == "equal":
        return i18n.text("funding.equal", lang)
    date = i18n.format_date(preset.as_of, lang)
    label = i18n.text("funding.reported_as_of", lang, date=date)
    return f"{label} · {i18n.term('status', preset.status, lang)}"


def split_for(frames: Frames, state: ViewState) -> Split:
    """The split a link asks for, checked against the data: a split naming other funders or
    not adding up to 100 falls back to its preset, an unknown preset to the first reported."""
    presets = {p.key: p for p in frames.presets}
    announced = float(frames.announcement["amount_usd_bn"])
    initial = float(frames.initial_deployment["amount_usd_bn"])
    total = (
        funding.snap_total(state.total, initial, announced)
        if state.total is not None and initial <= state.total <= announced
        else announced
    )
    fx = frames.fx(state.currency if state.currency in frames.currencies else "USD")
    preset = presets.get(state.preset, frames.presets[0])
    split = dict(state.split)
    if sorted(split) == sorted(frames.funders) and abs(sum(split.values()) - 100) < 0.05:
        return Split(None, {f: split[f] for f in frames.funders}, total, fx)
    return Split(preset, dict(preset.shares), total, fx)


@dataclass(frozen=True)
class Window:
    """The timeline's date range (first days of months) and visible lanes."""

    start: pd.Timestamp
    end: pd.Timestamp
    lanes: tuple[str, ...]


def normalised(frames: Frames, state: ViewState) -> ViewState:
    """`state` as the views will show it: what the data cannot honour is dropped from the link
    too, so a reader never shares values that were not drawn."""
    split, window = split_for(frames, state), window_for(frames, state)
    announced = float(frames.announcement["amount_usd_bn"])
    months = frames.months
    first = frames.presets[0]
    return state.with_(
        currency=split.fx.currency,
        preset="" if split.preset is None or split.preset is first else split.preset.key,
        split=() if split.preset is not None else tuple(split.shares.items()),
        total=None if split.total == announced else split.total,
        start="" if window.start == months[0] else window.start.strftime("%Y-%m"),
        end="" if window.end == months[-1] else window.end.strftime("%Y-%m"),
        lanes=None if len(window.lanes) == len(frames.lanes) else window.lanes,
    )


def window_for(frames: Frames, state: ViewState) -> Window:
    months = frames.months
    by_text = {m.strftime("%Y-%m"): m for m in months}
    start = by_text.get(state.start, months[0])
    end = by_text.get(state.end, months[-1])
    if start > end:
        start, end = months[0], months[-1]
    lanes = frames.lanes if state.lanes is None else [x for x in frames.lanes if x in state.lanes]
    return Window(start, end, tuple(lanes))


def view_charts(
    frames: Frames, key: str, lang: str, state: ViewState | None = None, static: bool = False
) -> list[Chart]:
    """The charts of one view in `state` (default: the opening state). `static` asks for the
    static site's variant, whose timeline carries a range slider instead of kernel controls."""
    state = state or ViewState(view=key, lang=lang)
    if key == "org":
        return [org_chart(frames, lang, frames.org_nodes.iloc[0]["id"])]
    if key == "funding":
        return funding_charts(frames, lang, split_for(frames, state))
    if key == "timeline":
        window = window_for(frames, state)
        events = frames.events_between(window.start, window.end, window.lanes)
        return [timeline_chart(frames, lang, events, frames.lanes, range_slider=static)]
    if key == "markets":
        return [market_chart(frames, lang, frames.opening_market_day)]
    return []
