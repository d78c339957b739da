"""The interactive dashboard: ipywidgets controls around plotly figures, in English and Japanese.

Widgets only arrange and react: data comes from `frames`, charts from `charts`, HTML from
`panels`. Views are built when first shown, and callbacks replace a figure's JSON in place
(`FigureView.show`) rather than re-rendering outputs, which keeps redraws in the tens of ms.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import anywidget
import ipywidgets as w
import pandas as pd
import traitlets

from . import charts, citation, funding, i18n, panels, scripts, settings
from .data_export import dataset_file
from .dataset import load
from .frames import Frames
from .problems import DataError, Problem
from .settings import VOILA_TEMPLATE
from .state import VIEWS, ViewState

STATIC = scripts.STATIC
# One copy of plotly.js (the "basic" bundle: scatter and bar, a quarter of the full size),
# served as a static file by the Voilà template and sent by the kernel elsewhere.
PLOTLY_JS = VOILA_TEMPLATE / "static" / "plotly-basic.min.js"


class ChartView(anywidget.AnyWidget):
    """A chart with its table, downloads and source footer (`charts.payload`), drawn by the
    page's one copy of plotly.js (no per-chart bundle, no CDN)."""

    _esm = scripts.with_chart_tools("figure_view.js")
    chart = traitlets.Dict().tag(sync=True)
    # The payload's source entries, kept apart and re-sent only when a chart cites a source the
    # page has not had yet (or the language changes): a redraw then carries no sources at all.
    sources = traitlets.Dict().tag(sync=True)
    revision = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._click_handlers: list[Callable[[object], None]] = []
        self._sources_lang = ""
        self.on_msg(self._on_message)

    def show(self, payload: dict) -> None:
        payload = dict(payload)
        index = payload.pop("source_index")
        with self.hold_sync():
            if payload["lang"] != self._sources_lang:
                self._sources_lang = payload["lang"]
                self.sources = index
            elif not index.keys() <= self.sources.keys():
                self.sources = {**self.sources, **index}
            self.revision += 1
            self.chart = payload

    @property
    def figure(self) -> dict:
        return self.chart.get("figure", {})

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
    """One view: a narrative, controls and charts (each with its own source footer), redrawn
    for a language."""

    key = ""

    def __init__(self, frames: Frames, lang: str, state: ViewState | None = None):
        self.frames = frames
        self.lang = lang
        self.initial = state or ViewState(view=self.key, lang=lang)
        self.on_state: Callable[[dict], None] | None = None
        self.narrative = _html(css="sg-narrative")
        self.widget = w.VBox(layout=w.Layout(width="100%"))
        self.widget.add_class(f"sg-view-{self.key}")

    def state(self) -> dict:
        """The view's part of the share link (`ViewState` fields)."""
        return {}

    def _state_changed(self) -> None:
        if self.on_state is not None:
            self.on_state(self.state())

    def _show(self, view: ChartView, chart: charts.Chart) -> None:
        view.show(charts.payload(self.frames, chart, self.lang))

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

    def __init__(self, frames: Frames, lang: str, state: ViewState | None = None):
        super().__init__(frames, lang, state)
        self.nodes = frames.org_nodes
        self.selected = self.nodes.iloc[0]["id"]
        self.picker = w.Dropdown(layout=w.Layout(width="min(100%, 360px)"))
        self.picker.observe(self._on_pick, "value")
        self.chart = ChartView(layout=w.Layout(width="100%"))
        self.chart.on_click(self._on_chart_click)
        self.details = _html(css="sg-details-box")
        self.widget.children = [self.narrative, self.picker, self.chart, self.details]
        self.set_language(lang)

    def relabel(self) -> None:
        self.picker.description = i18n.text("org.select", self.lang)
        with self.quietly():
            self.picker.options = [
                (n[f"name_{self.lang}"], n["id"]) for _, n in self.nodes.iterrows()
            ]
            self.picker.value = self.selected

    def redraw(self) -> None:
        self._show(self.chart, charts.org_chart(self.frames, self.lang, self.selected))
        self.details.value = self._details()

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

    def __init__(self, frames: Frames, lang: str, state: ViewState | None = None):
        super().__init__(frames, lang, state)
        self.funders = frames.funders
        self.presets = {p.key: p for p in frames.presets}
        split = charts.split_for(frames, self.initial)
        self.shares = dict(split.shares)
        announced = float(frames.announcement["amount_usd_bn"])
        initial = float(frames.initial_deployment["amount_usd_bn"])
        self.announced = announced
        self.total = w.FloatSlider(
            value=split.total,
            min=initial,
            max=announced,
            step=funding.TOTAL_STEP,
            readout_format=",.0f",
            continuous_update=False,
            layout=w.Layout(width="min(100%, 520px)"),
        )
        self.preset = w.Dropdown(layout=w.Layout(width="min(100%, 520px)"))
        self._preset_value = split.preset.key if split.preset else "custom"
        self.currency = w.ToggleButtons(
            options=frames.currencies, value=split.fx.currency, style={"button_width": "auto"}
        )
        self.sliders = {
            funder: w.FloatSlider(
                value=round(self.shares[funder], 1),
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
        self.per_funder = ChartView(layout=w.Layout(width="100%"))
        self.per_year = ChartView(layout=w.Layout(width="100%"))
        self.year_note = _html(css="sg-note-box")
        self.scale = ChartView(layout=w.Layout(width="100%"))
        self.gdp = ChartView(layout=w.Layout(width="100%"))
        self.scale_note = _html(css="sg-note-box")
        self.total.observe(self._on_control, "value")
        self.currency.observe(self._on_control, "value")
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
        ]
        self.set_language(lang)

    def state(self) -> dict:
        custom = self._preset_value == "custom"
        return {
            "currency": self.currency.value,
            "preset": ""
            if custom or self._preset_value == self.frames.presets[0].key
            else self._preset_value,
            "split": tuple(self.shares.items()) if custom else (),
            "total": None if self.total.value == self.announced else self.total.value,
        }

    def relabel(self) -> None:
        names = self.frames.funder_names(self.lang)
        options = [(charts.preset_label(p, self.lang), p.key) for p in self.presets.values()]
        options.append((i18n.text("funding.custom", self.lang), "custom"))
        with self.quietly():
            self.preset.options = options
            self.preset.value = self._preset_value
        self.preset.description = i18n.text("funding.preset", self.lang)
        self.total.description = i18n.text("funding.total", self.lang)
        self.currency.description = i18n.text("funding.currency", self.lang)
        self.currency.tooltips = [
            i18n.term("currency", c, self.lang) for c in self.currency.options
        ]
        for funder, slider in self.sliders.items():
            slider.description = f"{names[funder]} %"
        self.year_note.value = f"<p>{panels.escape(i18n.text('funding.year_note', self.lang))}</p>"

    def _on_control(self, _change) -> None:
        if not self._syncing:
            self.redraw()
            self._state_changed()

    def _on_preset(self, change) -> None:
        if self._syncing or change["new"] == "custom":
            return
        self._preset_value = change["new"]
        self.shares = dict(self.presets[change["new"]].shares)
        self.redraw()
        self._show_shares()
        self._state_changed()

    def _on_share(self, funder: str, value: float) -> None:
        """Redraw first, then move the other sliders: the chart is the reader's feedback."""
        if self._syncing:
            return
        self.shares = funding.rounded(funding.rebalance(self.shares, funder, value))
        self._preset_value = "custom"
        self.redraw(total_changed=False)
        self._show_shares()
        with self.quietly():
            self.preset.value = "custom"
        self._state_changed()

    def _show_shares(self) -> None:
        with self.quietly():
            for funder, slider in self.sliders.items():
                slider.value = round(self.shares[funder], 1)

    def split(self) -> charts.Split:
        preset = self.presets.get(self._preset_value)
        return charts.Split(
            preset, dict(self.shares), self.total.value, self.frames.fx(self.currency.value)
        )

    def redraw(self, total_changed: bool = True) -> None:
        lang, split = self.lang, self.split()
        fx = split.fx
        built = charts.funding_charts(self.frames, lang, split, with_scale=total_changed)
        self._show(self.per_funder, built[0])
        self._show(self.per_year, built[1])
        total = f"{sum(self.shares.values()):.1f}"
        self.sum_label.value = (
            f"<p>{panels.escape(i18n.text('funding.shares_sum', lang, total=total))}</p>"
        )
        self.preset_note.value = panels.badge(split.preset.status, lang) if split.reported else ""
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
            self._show(self.scale, built[2])
            self._show(self.gdp, built[3])
            latest = self.frames.latest_gdp
            gdp_note = i18n.text(
                "funding.gdp_note",
                lang,
                year=latest["period"],
                gdp=i18n.format_money(latest["nominal_usd_bn"], lang),
            )
            self.scale_note.value = (
                f"<p>{panels.escape(i18n.text('funding.scale_note', lang))} "
                f"{panels.escape(gdp_note)}</p>"
            )


class TimelineView(View):
    key = "timeline"

    def __init__(self, frames: Frames, lang: str, state: ViewState | None = None):
        super().__init__(frames, lang, state)
        self.events = frames.timeline
        self.lanes = frames.lanes
        window = charts.window_for(frames, self.initial)
        self.lane_boxes = {
            lane: w.Checkbox(
                value=lane in window.lanes, indent=False, layout=w.Layout(width="auto")
            )
            for lane in self.lanes
        }
        self.months = frames.months
        self.range = w.SelectionRangeSlider(
            options=[(str(m), m) for m in self.months],
            index=(self.months.index(window.start), self.months.index(window.end)),
            continuous_update=False,
            layout=w.Layout(width="min(100%, 640px)"),
        )
        self.picker = w.Dropdown(layout=w.Layout(width="min(100%, 640px)"))
        self.count = _html(css="sg-count")
        self.chart = ChartView(layout=w.Layout(width="100%"))
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
        self.widget.children = [self.narrative, controls, self.chart, self.picker, self.details]
        self.set_language(lang)

    def state(self) -> dict:
        first, last = self.range.index
        lanes = tuple(lane for lane, box in self.lane_boxes.items() if box.value)
        return {
            "start": "" if first == 0 else self.months[first].strftime("%Y-%m"),
            "end": "" if last == len(self.months) - 1 else self.months[last].strftime("%Y-%m"),
            "lanes": None if len(lanes) == len(self.lanes) else lanes,
        }

    def _on_filter(self, _change) -> None:
        if not self._syncing:
            self.redraw()
            self._state_changed()

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
        lanes = [lane for lane, box in self.lane_boxes.items() if box.value]
        return self.frames.events_between(start, end, lanes)

    def redraw(self) -> None:
        events = self.visible()
        self._show(self.chart, charts.timeline_chart(self.frames, self.lang, events, self.lanes))
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

    def __init__(self, frames: Frames, lang: str, state: ViewState | None = None):
        super().__init__(frames, lang, state)
        self.days = frames.market_days
        self.day = w.Dropdown(layout=w.Layout(width="min(100%, 360px)"))
        self._day_value = frames.opening_market_day
        self.day.observe(self._on_day, "value")
        self.chart = ChartView(layout=w.Layout(width="100%"))
        self.yields = _html(css="sg-details-box")
        self.widget.children = [self.narrative, self.day, self.chart, self.yields]
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
        self._show(self.chart, charts.market_chart(self.frames, self.lang, self._day_value))
        self.yields.value = panels.yields_list(moves, self.frames, self.lang)


class ClaimsView(View):
    key = "claims"

    def __init__(self, frames: Frames, lang: str, state: ViewState | None = None):
        super().__init__(frames, lang, state)
        self.body = _html(css="sg-claims-box")
        self.footer = _html(css="sg-footer-box")
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

    def __init__(self, frames: Frames, lang: str, state: ViewState | None = None):
        super().__init__(frames, lang, state)
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


class ReaderTools(anywidget.AnyWidget):
    """Share link (kept in the address bar), theme, print, citation and dataset downloads."""

    _esm = scripts.with_chart_tools("reader_tools.js")
    query = traitlets.Unicode("").tag(sync=True)
    ui = traitlets.Dict().tag(sync=True)
    citation = traitlets.Dict().tag(sync=True)

    def __init__(self, frames: Frames, **kwargs):
        super().__init__(**kwargs)
        self.frames = frames
        self.on_msg(self._on_message)

    def relabel(self, lang: str) -> None:
        dataset = self.frames.dataset
        with self.hold_sync():
            self.ui = i18n.tool_labels(lang)
            self.citation = {
                "plain": citation.plain(dataset, lang),
                "bibtex": citation.bibtex(dataset),
            }

    def _on_message(self, _widget, content, _buffers) -> None:
        if content.get("type") == "dataset":
            name, mime, data = dataset_file(self.frames.dataset, content.get("format"))
            self.send({"type": "dataset", "filename": name, "mime": mime}, [data])


class Dashboard(Quiet):
    """The whole explainer: reader tools, language switch, view switch, and the current view.
    `state` is what the share link carries; views report their part of it as they change."""

    def __init__(self, frames: Frames, state: ViewState):
        self.frames = frames
        self.state = state
        self.views: dict[str, View] = {}
        self.header = _html(css="sg-header")
        self.tools = ReaderTools(frames)
        self.tools.add_class("sg-tools-box")
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
        chrome = [self.header, self.tools, self.language, self.nav]
        self.root = w.VBox(
            [_style(), *([] if state.embed else chrome), self.body],
            layout=w.Layout(width="100%"),
        )
        self.root.add_class("sg-app")
        if state.embed:
            self.root.add_class("sg-embed")
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
        self.tools.relabel(lang)
        with self.quietly():
            self.nav.options = [(i18n.text(f"view.{v}", lang), v) for v in VIEWS]
            self.nav.value = self.state.view

    def _update_state(self, **changes) -> None:
        self.state = self.state.with_(**changes)
        self.tools.query = self.state.to_query()

    def set_language(self, lang: str) -> None:
        """Relabel the chrome and the current view; hidden views catch up when shown."""
        self._update_state(lang=lang)
        self._relabel()
        self.views[self.state.view].set_language(lang)

    def show(self, view: str) -> None:
        self._update_state(view=view)
        if view not in self.views:
            built = VIEW_CLASSES[view](self.frames, self.state.lang, self.state)
            built.on_state = lambda changes: self._update_state(**changes)
            self.views[view] = built
        elif self.views[view].lang != self.state.lang:
            self.views[view].set_language(self.state.lang)
        self.body.children = [self.views[view].widget]


def dashboard(path: str | None = None, query: str | None = None) -> w.Widget:
    """The dashboard for the data at `path` (default: `$STARGATE_DATA` or the repository's data),
    opened in the state of `query` (default: the page's query string, which Voilà passes in
    `$QUERY_STRING`). Invalid data gives a readable error panel instead."""
    state = ViewState.from_query(os.environ.get("QUERY_STRING", "") if query is None else query)
    try:
        frames = Frames(load(path))
        return Dashboard(frames, charts.normalised(frames, state)).root
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
