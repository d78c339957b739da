"""The interactive dashboard: ipywidgets controls around plotly figures, in English and Japanese.

Widgets only arrange and react: data comes from `frames`, charts from `figures`, HTML from
`panels`. Views are built when first shown, and callbacks replace a figure's JSON in place
(`FigureView.show`) rather than re-rendering outputs, which keeps redraws in the tens of ms.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import anywidget
import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import traitlets

from . import figures, funding, i18n, panels, settings
from .dataset import load
from .frames import Frames
from .problems import DataError, Problem
from .settings import VOILA_TEMPLATE
from .state import VIEWS, ViewState

STATIC = Path(__file__).resolve().parent / "static"
# One copy of plotly.js (the "basic" bundle: scatter and bar, a quarter of the full size),
# served as a static file by the Voilà template and sent by the kernel elsewhere.
PLOTLY_JS = VOILA_TEMPLATE / "static" / "plotly-basic.min.js"


class FigureView(anywidget.AnyWidget):
    """A plotly figure drawn by the page's one copy of plotly.js (no per-chart bundle, no CDN)."""

    _esm = STATIC / "figure_view.js"
    figure = traitlets.Dict().tag(sync=True)
    revision = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._click_handlers: list[Callable[[object], None]] = []
        self.on_msg(self._on_message)

    def show(self, figure: go.Figure) -> None:
        with self.hold_sync():
            self.revision += 1
            self.figure = json.loads(pio.to_json(figure, validate=False))

    def on_click(self, handler: Callable[[object], None]) -> None:
        self._click_handlers.append(handler)

    def _on_message(self, _widget, content, _buffers) -> None:
        if content.get("type") == "need-plotly":
            self.send({"type": "plotly-library", "source": PLOTLY_JS.read_text("utf-8")})
        elif content.get("type") == "click":
            for handler in self._click_handlers:
                handler(content.get("customdata"))


class Quiet:
    """Lets code change controls without their observers reacting (relabelling a dropdown
    replaces its options, which ipywidgets reports as a new value)."""

    _syncing = False

    @contextmanager
    def quietly(self) -> Iterator[None]:
        previous, self._syncing = self._syncing, True
        try:
            yield
        finally:
            self._syncing = previous


def _style() -> w.HTML:
    return w.HTML(f"<style>{(STATIC / 'dashboard.css').read_text('utf-8')}</style>")


def _html(value: str = "", css: str = "") -> w.HTML:
    widget = w.HTML(value)
    if css:
        widget.add_class(css)
    return widget


class View(Quiet):
    """One view: a narrative, controls, charts and a footer, redrawn for a language."""

    key = ""

    def __init__(self, frames: Frames, lang: str):
        self.frames = frames
        self.lang = lang
        self.narrative = _html(css="sg-narrative")
        self.footer = _html(css="sg-footer-box")
        self.widget = w.VBox(layout=w.Layout(width="100%"))
        self.widget.add_class(f"sg-view-{self.key}")

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.narrative.value = f"<p>{panels.escape(i18n.text(f'narrative.{self.key}', lang))}</p>"
        self.redraw()  # charts first: they are what the reader watches change
        self.relabel()

    def relabel(self) -> None:
        """Update control labels for `self.lang`."""

    def redraw(self) -> None:
        """Redraw charts and panels from the controls' state."""


class OrgView(View):
    key = "org"

    def __init__(self, frames: Frames, lang: str):
        super().__init__(frames, lang)
        self.nodes = frames.org_nodes
        self.selected = self.nodes.iloc[0]["id"]
        self.picker = w.Dropdown(layout=w.Layout(width="min(100%, 360px)"))
        self.picker.observe(self._on_pick, "value")
        self.chart = FigureView(layout=w.Layout(width="100%"))
        self.chart.on_click(self._on_chart_click)
        self.details = _html(css="sg-details-box")
        self.widget.children = [self.narrative, self.picker, self.chart, self.details, self.footer]
        self.set_language(lang)

    def relabel(self) -> None:
        self.picker.description = i18n.text("org.select", self.lang)
        with self.quietly():
            self.picker.options = [
                (n[f"name_{self.lang}"], n["id"]) for _, n in self.nodes.iterrows()
            ]
            self.picker.value = self.selected

    def redraw(self) -> None:
        edges = self.frames.org_edges
        self.chart.show(figures.org_chart(self.nodes, edges, self.lang, self.selected))
        self.details.value = self._details()
        self.footer.value = panels.source_footer(
            self.frames, [i for ids in edges["source_ids"] for i in ids], edges["status"], self.lang
        )

    def _details(self) -> str:
        kind = self.nodes.set_index("id").loc[self.selected, "kind"]
        details = panels.node_details if kind == "organisation" else panels.person_details
        return details(self.frames, self.selected, self.lang)

    def _on_pick(self, change) -> None:
        if not self._syncing and change["new"] and change["new"] != self.selected:
            self.select(change["new"])

    def _on_chart_click(self, node_id) -> None:
        if node_id in set(self.nodes["id"]):
            self.select(node_id)

    def select(self, node_id: str) -> None:
        self.selected = node_id
        with self.quietly():
            self.picker.value = node_id
        self.redraw()


class FundingView(View):
    key = "funding"

    def __init__(self, frames: Frames, lang: str):
        super().__init__(frames, lang)
        self.funders = frames.funders
        self.colours = dict(zip(self.funders, figures.PALETTE, strict=False))
        self.presets = {p.key: p for p in frames.presets}
        first = frames.presets[0]
        self.shares = dict(first.shares)
        total = float(frames.announcement["amount_usd_bn"])
        initial = self.initial = float(frames.initial_deployment["amount_usd_bn"])
        self.total = w.FloatSlider(
            value=total,
            min=initial,
            max=total,
            step=25,
            readout_format=",.0f",
            continuous_update=False,
            layout=w.Layout(width="min(100%, 520px)"),
        )
        self.preset = w.Dropdown(layout=w.Layout(width="min(100%, 520px)"))
        self.currency = w.ToggleButtons(
            options=frames.currencies, value="USD", style={"button_width": "auto"}
        )
        self.sliders = {
            funder: w.FloatSlider(
                value=first.shares[funder],
                min=0,
                max=100,
                step=0.5,
                readout_format=".1f",
                continuous_update=False,
                layout=w.Layout(width="min(100%, 520px)"),
            )
            for funder in self.funders
        }
        self.sum_label = _html(css="sg-sum")
        self.preset_note = _html(css="sg-note-box")
        self.fx_note = _html(css="sg-note-box")
        self.per_funder = FigureView(layout=w.Layout(width="100%"))
        self.per_year = FigureView(layout=w.Layout(width="100%"))
        self.year_note = _html(css="sg-note-box")
        self.scale = FigureView(layout=w.Layout(width="100%"))
        self.gdp = FigureView(layout=w.Layout(width="100%"))
        self.scale_note = _html(css="sg-note-box")
        self.total.observe(lambda _: self.redraw(), "value")
        self.currency.observe(lambda _: self.redraw(), "value")
        self.preset.observe(self._on_preset, "value")
        for funder, slider in self.sliders.items():
            slider.observe(lambda change, f=funder: self._on_share(f, change["new"]), "value")
        controls = w.VBox(
            [
                self.preset,
                self.preset_note,
                self.total,
                *self.sliders.values(),
                self.sum_label,
                self.currency,
                self.fx_note,
            ]
        )
        controls.add_class("sg-controls")
        self.widget.children = [
            self.narrative,
            controls,
            self.per_funder,
            self.per_year,
            self.year_note,
            self.scale,
            self.gdp,
            self.scale_note,
            self.footer,
        ]
        self.set_language(lang)

    def relabel(self) -> None:
        names = self.frames.funder_names(self.lang)
        options = []
        for preset in self.presets.values():
            if preset.key == "equal":
                label = i18n.text("funding.equal", self.lang)
            else:
                date = i18n.format_date(preset.as_of, self.lang)
                label = i18n.text("funding.reported_as_of", self.lang, date=date)
                label += f" · {i18n.term('status', preset.status, self.lang)}"
            options.append((label, preset.key))
        options.append((i18n.text("funding.custom", self.lang), "custom"))
        current = self.preset.value or next(iter(self.presets))
        with self.quietly():
            self.preset.options = options
            self.preset.value = current
        self.preset.description = i18n.text("funding.preset", self.lang)
        self.total.description = i18n.text("funding.total", self.lang)
        self.currency.description = i18n.text("funding.currency", self.lang)
        self.currency.tooltips = [
            i18n.term("currency", c, self.lang) for c in self.currency.options
        ]
        for funder, slider in self.sliders.items():
            slider.description = f"{names[funder]} %"
        self.year_note.value = f"<p>{panels.escape(i18n.text('funding.year_note', self.lang))}</p>"
        self.scale_note.value = (
            f"<p>{panels.escape(i18n.text('funding.scale_note', self.lang))}</p>"
        )

    def _on_preset(self, change) -> None:
        if self._syncing or change["new"] == "custom":
            return
        self.shares = dict(self.presets[change["new"]].shares)
        self.redraw()
        self._show_shares()

    def _on_share(self, funder: str, value: float) -> None:
        """Redraw first, then move the other sliders: the chart is the reader's feedback."""
        if self._syncing:
            return
        self.shares = funding.rebalance(self.shares, funder, value)
        self.redraw(total_changed=False)
        self._show_shares()
        with self.quietly():
            self.preset.value = "custom"

    def _show_shares(self) -> None:
        shares = self.shares
        with self.quietly():
            for funder, slider in self.sliders.items():
                slider.value = round(shares[funder], 1)

    def redraw(self, total_changed: bool = True) -> None:
        lang, names = self.lang, self.frames.funder_names(self.lang)
        fx = self.frames.fx(self.currency.value)
        total = self.total.value
        self.per_funder.show(
            figures.funding_per_funder(
                funding.amounts_per_funder(total, self.shares),
                names,
                self.colours,
                lang,
                fx.currency,
                fx.rate,
            )
        )
        per_year = funding.amounts_per_year(total, self.shares, self.initial)
        self.per_year.show(
            figures.funding_per_year(per_year, names, self.colours, lang, fx.currency, fx.rate)
        )
        self.sum_label.value = f"<p>{panels.escape(i18n.text('funding.shares_sum', lang, total=f'{sum(self.shares.values()):.1f}'))}</p>"
        preset = self.presets.get(self.preset.value)
        self.preset_note.value = (
            panels.badge(preset.status, lang) if preset and preset.key != "equal" else ""
        )
        self.fx_note.value = (
            ""
            if fx.currency == "USD"
            else "<p>"
            + panels.escape(
                i18n.text(
                    "funding.fx_note",
                    lang,
                    rate=f"{fx.rate:,.4g} {fx.currency}/USD",
                    date=i18n.format_date(fx.date, lang),
                )
            )
            + "</p>"
        )
        if total_changed:
            programmes = self.frames.programmes
            gdp = self.frames.latest_gdp
            peak_year = per_year.groupby("year")["amount_usd_bn"].sum().max()
            self.scale.show(figures.scale_comparison(programmes, total, lang))
            self.gdp.show(
                figures.gdp_share(programmes, 100 * peak_year / gdp["nominal_usd_bn"], lang)
            )
            self.scale_note.value = (
                f"<p>{panels.escape(i18n.text('funding.scale_note', lang))} "
                f"{panels.escape(i18n.text('funding.gdp_note', lang, year=gdp['period'], gdp=i18n.format_money(gdp['nominal_usd_bn'], lang)))}</p>"
            )
        # Only a reported preset plots reported amounts; an equal or custom split is the
        # reader's own, so only the totals, rates and comparisons are cited then.
        reported = preset is not None and preset.key != "equal"
        self.footer.value = panels.source_footer(
            self.frames,
            [
                *(preset.source_ids if reported else ()),
                *fx.source_ids,
                *self.frames.scale_source_ids,
            ],
            [preset.status] if reported else [],
            lang,
        )


class TimelineView(View):
    key = "timeline"

    def __init__(self, frames: Frames, lang: str):
        super().__init__(frames, lang)
        self.events = frames.timeline
        self.lanes = [lane for lane in i18n.terms("lane") if lane in set(self.events["lane"])]
        self.lane_boxes = {
            lane: w.Checkbox(value=True, indent=False, layout=w.Layout(width="auto"))
            for lane in self.lanes
        }
        months = pd.period_range(self.events["date"].min(), self.events["date"].max(), freq="M")
        self.months = [m.to_timestamp() for m in months]
        self.range = w.SelectionRangeSlider(
            options=[(str(m), m) for m in self.months],
            index=(0, len(self.months) - 1),
            continuous_update=False,
            layout=w.Layout(width="min(100%, 640px)"),
        )
        self.picker = w.Dropdown(layout=w.Layout(width="min(100%, 640px)"))
        self.count = _html(css="sg-count")
        self.chart = FigureView(layout=w.Layout(width="100%"))
        self.details = _html(css="sg-details-box")
        self.selected: str | None = None
        for box in self.lane_boxes.values():
            box.observe(self._on_filter, "value")
        self.range.observe(self._on_filter, "value")
        self.picker.observe(self._on_pick, "value")
        self.chart.on_click(self._on_pick_id)
        lanes = w.HBox(list(self.lane_boxes.values()), layout=w.Layout(flex_flow="row wrap"))
        self.lanes_label = _html()
        controls = w.VBox([self.lanes_label, lanes, self.range, self.count])
        controls.add_class("sg-controls")
        self.widget.children = [
            self.narrative,
            controls,
            self.chart,
            self.picker,
            self.details,
            self.footer,
        ]
        self.set_language(lang)

    def _on_filter(self, _change) -> None:
        if not self._syncing:
            self.redraw()

    def relabel(self) -> None:
        self.lanes_label.value = f"<b>{panels.escape(i18n.text('timeline.lanes', self.lang))}</b>"
        for lane, box in self.lane_boxes.items():
            box.description = i18n.term("lane", lane, self.lang)
        index = self.range.index
        with self.quietly():
            self.range.options = [(i18n.format_date(m, self.lang, "month"), m) for m in self.months]
            self.range.index = index
        self.range.description = i18n.text("timeline.range", self.lang)
        self.picker.description = i18n.text("timeline.select", self.lang)

    def visible(self) -> pd.DataFrame:
        start, end = self.range.value
        end = end + pd.offsets.MonthEnd(0)
        lanes = [lane for lane, box in self.lane_boxes.items() if box.value]
        events = self.events
        return events[events["lane"].isin(lanes) & events["date"].between(start, end)]

    def redraw(self) -> None:
        events = self.visible()
        self.chart.show(figures.timeline(events, self.lang, self.lanes))
        self.count.value = (
            f"<p>{panels.escape(i18n.text('timeline.count', self.lang, n=len(events)))}</p>"
        )
        with self.quietly():
            self.picker.options = [("—", None)] + [
                (
                    f"{i18n.format_date(e.date, self.lang, e.date_precision)} · {getattr(e, f'title_{self.lang}')}",
                    e.id,
                )
                for e in events.itertuples()
            ]
            if self.selected not in set(events["id"]):
                self.selected = None  # the selected event was filtered out
            self.picker.value = self.selected
        self._show_details()
        self.footer.value = panels.source_footer(
            self.frames,
            [i for ids in events["source_ids"] for i in ids],
            events["status"],
            self.lang,
        )

    def _on_pick(self, change) -> None:
        if not self._syncing:
            self._on_pick_id(change["new"])

    def _on_pick_id(self, event_id) -> None:
        if event_id is not None and event_id not in set(self.events["id"]):
            return
        self.selected = event_id
        if self.picker.value != event_id and event_id in [v for _, v in self.picker.options]:
            with self.quietly():
                self.picker.value = event_id
        self._show_details()

    def _show_details(self) -> None:
        if self.selected is None:
            self.details.value = ""
            return
        event = self.events.set_index("id", drop=False).loc[self.selected]
        self.details.value = panels.event_details(self.frames, event, self.lang)


class MarketsView(View):
    key = "markets"

    def __init__(self, frames: Frames, lang: str):
        super().__init__(frames, lang)
        self.days = frames.market_days
        self.day = w.Dropdown(layout=w.Layout(width="min(100%, 360px)"))
        self._day_value = frames.opening_market_day
        self.day.observe(self._on_day, "value")
        self.chart = FigureView(layout=w.Layout(width="100%"))
        self.yields = _html(css="sg-details-box")
        self.widget.children = [self.narrative, self.day, self.chart, self.yields, self.footer]
        self.set_language(lang)

    def relabel(self) -> None:
        self.day.description = i18n.text("markets.day", self.lang)
        with self.quietly():
            self.day.options = [(i18n.format_date(d, self.lang), d) for d in self.days]
            self.day.value = self._day_value

    def _on_day(self, change) -> None:
        if not self._syncing and change["new"] is not None and change["new"] != self._day_value:
            self._day_value = change["new"]
            self.redraw()

    def redraw(self) -> None:
        moves = self.frames.market_moves_on(self._day_value)
        self.chart.show(figures.market_moves(moves, self.lang))
        self.yields.value = panels.yields_list(moves, self.frames, self.lang)
        self.footer.value = panels.source_footer(
            self.frames, [i for ids in moves["source_ids"] for i in ids], moves["status"], self.lang
        )


class ClaimsView(View):
    key = "claims"

    def __init__(self, frames: Frames, lang: str):
        super().__init__(frames, lang)
        self.body = _html(css="sg-claims-box")
        self.widget.children = [self.narrative, self.body, self.footer]
        self.set_language(lang)

    def redraw(self) -> None:
        self.body.value = panels.claims_html(self.frames, self.lang)
        claims, corrections = self.frames.dataset.claims, self.frames.dataset.corrections
        self.footer.value = panels.source_footer(
            self.frames,
            [i for ids in [*claims["source_ids"], *corrections["source_ids"]] for i in ids],
            claims["status"],
            self.lang,
        )


class SourcesView(View):
    key = "sources"

    def __init__(self, frames: Frames, lang: str):
        super().__init__(frames, lang)
        self.query = w.Text(continuous_update=False, layout=w.Layout(width="min(100%, 360px)"))
        self.kind = w.Dropdown(layout=w.Layout(width="min(100%, 360px)"))
        self.count = _html(css="sg-count")
        self.table = _html(css="sg-table-box")
        self.query.observe(self._on_filter, "value")
        self.kind.observe(self._on_filter, "value")
        controls = w.VBox([self.query, self.kind, self.count])
        controls.add_class("sg-controls")
        self.widget.children = [self.narrative, controls, self.table]
        self.set_language(lang)

    def _on_filter(self, _change) -> None:
        if not self._syncing:
            self.redraw()

    def relabel(self) -> None:
        self.query.description = i18n.text("sources.filter", self.lang)
        self.kind.description = i18n.text("sources.kind", self.lang)
        current = self.kind.value
        kinds = [k for k in i18n.terms("source_kind") if k in set(self.frames.sources["kind"])]
        with self.quietly():
            self.kind.options = [(i18n.text("sources.all", self.lang), "")] + [
                (i18n.term("source_kind", k, self.lang), k) for k in kinds
            ]
            self.kind.value = current or ""

    def redraw(self) -> None:
        sources = self.frames.sources
        shown = sources
        if self.kind.value:
            shown = shown[shown["kind"] == self.kind.value]
        needle = self.query.value.strip().lower()
        if needle:
            haystack = (shown["title"] + " " + shown["publisher"] + " " + shown["id"]).str.lower()
            shown = shown[haystack.str.contains(needle, regex=False)]
        self.count.value = f"<p>{panels.escape(i18n.text('sources.count', self.lang, n=len(shown), total=len(sources)))}</p>"
        self.table.value = panels.sources_table(shown, self.lang)


VIEW_CLASSES: dict[str, type[View]] = {
    cls.key: cls
    for cls in (OrgView, FundingView, TimelineView, MarketsView, ClaimsView, SourcesView)
}


class Dashboard(Quiet):
    """The whole explainer: language switch, view switch, and the current view."""

    def __init__(self, frames: Frames, state: ViewState):
        self.frames = frames
        self.state = state
        self.views: dict[str, View] = {}
        self.header = _html(css="sg-header")
        self.language = w.ToggleButtons(
            options=[("English", "en"), ("日本語", "ja")],
            value=state.lang,
            style={"button_width": "auto"},
        )
        self.language.add_class("sg-language")
        self.nav = w.ToggleButtons(
            options=[(v, v) for v in VIEWS], value=state.view, style={"button_width": "auto"}
        )
        self.nav.add_class("sg-nav")
        self.body = w.Box(layout=w.Layout(width="100%"))
        self.language.observe(lambda change: self.set_language(change["new"]), "value")
        self.nav.observe(
            lambda change: None if self._syncing else self.show(change["new"]), "value"
        )
        self.root = w.VBox(
            [_style(), self.header, self.language, self.nav, self.body],
            layout=w.Layout(width="100%"),
        )
        self.root.add_class("sg-app")
        self._relabel()
        self.show(state.view)

    def _relabel(self) -> None:
        lang = self.state.lang
        meta = self.frames.dataset.document.meta
        self.header.value = (
            f'<header lang="{lang}"><h1>{panels.escape(i18n.text("app.title", lang))}</h1>'
            f"<p>{panels.escape(i18n.text('app.subtitle', lang))}</p>"
            f'<p class="sg-meta">{panels.escape(i18n.text("app.dataset_date", lang))}: '
            f"{panels.escape(i18n.format_date(pd.Timestamp(meta.updated), lang))}</p></header>"
        )
        with self.quietly():
            self.nav.options = [(i18n.text(f"view.{v}", lang), v) for v in VIEWS]
            self.nav.value = self.state.view

    def set_language(self, lang: str) -> None:
        """Relabel the chrome and the current view; hidden views catch up when shown."""
        self.state = ViewState(self.state.view, lang)
        self._relabel()
        self.views[self.state.view].set_language(lang)

    def show(self, view: str) -> None:
        self.state = ViewState(view, self.state.lang)
        if view not in self.views:
            self.views[view] = VIEW_CLASSES[view](self.frames, self.state.lang)
        elif self.views[view].lang != self.state.lang:
            self.views[view].set_language(self.state.lang)
        self.body.children = [self.views[view].widget]


def dashboard(path: str | None = None, query: str | None = None) -> w.Widget:
    """The dashboard for the data at `path` (default: `$STARGATE_DATA` or the repository's data),
    opened in the state of `query` (default: the page's query string, which Voilà passes in
    `$QUERY_STRING`). Invalid data gives a readable error panel instead."""
    state = ViewState.from_query(os.environ.get("QUERY_STRING", "") if query is None else query)
    try:
        return Dashboard(Frames(load(path)), state).root
    except DataError as error:
        return _error(error, state.lang)
    except Exception as error:  # noqa: BLE001 - a reader sees a panel, never a traceback
        return _error(_unexpected(error, path), state.lang)


def _unexpected(error: Exception, path: str | None) -> DataError:
    """A failure the validator did not foresee, reported in the validator's own shape."""
    name = str(path or settings.DATA_PATH.value())
    message = f"the views could not be drawn from this data ({type(error).__name__}: {error})"
    return DataError([Problem(name, 1, "(dashboard)", message)])


def _error(error: DataError, lang: str) -> w.Widget:
    box = w.VBox([_style(), _html(panels.error_panel(error, lang))])
    box.add_class("sg-app")
    return box


class ViewBox(w.VBox):
    """A view that says what it is where widgets cannot be drawn (an exported notebook)."""

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = "Interactive view: run this notebook in JupyterLab to use it."
        return bundle


def view(key: str, lang: str = "en", path: str | None = None) -> w.Widget:
    """One view on its own, for notebooks that explore a single part of the story."""
    try:
        box = ViewBox([_style(), VIEW_CLASSES[key](Frames(load(path)), lang).widget])
    except DataError as error:
        return _error(error, lang)
    except Exception as error:  # noqa: BLE001 - a reader sees a panel, never a traceback
        return _error(_unexpected(error, path), lang)
    box.add_class("sg-app")
    return box
