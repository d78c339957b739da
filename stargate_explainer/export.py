"""The static site: the dashboard as self-contained HTML pages that need no kernel and no network.

Each language gets one page built with nbconvert's HTML exporter and the repository's template
(`assets/jupyter/nbconvert/templates/stargate_static`): the views' HTML comes from `panels`, the
charts from `charts` (the same functions the live dashboard uses), and `static/site.js` makes
the controls, share links and embeds work in the browser. plotly.js is inlined once per page.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import nbformat
import pandas as pd
from nbconvert import HTMLExporter

from . import charts, citation, funding, i18n, panels, scripts
from .data_export import export_data
from .dataset import Dataset
from .frames import Frames
from .settings import REPOSITORY_ROOT, VOILA_TEMPLATE
from .state import SHARE_DIGITS, VIEWS

STATIC = scripts.STATIC
TEMPLATES = REPOSITORY_ROOT / "assets" / "jupyter" / "nbconvert" / "templates"
PLOTLY_JS = VOILA_TEMPLATE / "static" / "plotly-basic.min.js"
LOCALES = {"en": "en_GB", "ja": "ja_JP"}


def page_path(lang: str) -> str:
    """Where each language's page lives inside the site."""
    return "index.html" if lang == "en" else f"{lang}/index.html"


def build_site(dataset: Dataset, out_dir: Path, exported: dt.date | None = None) -> list[Path]:
    """Write one page per language and the data downloads; return the pages written."""
    frames = Frames(dataset)
    exported = exported or dt.date.today()
    export_data(dataset, out_dir / "data")
    pages = []
    for lang in i18n.LANGUAGES:
        path = out_dir / page_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_page(frames, lang, exported), encoding="utf-8")
        pages.append(path)
    return pages


def render_page(frames: Frames, lang: str, exported: dt.date) -> str:
    site = _Site(frames, lang, exported)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [_html_cell(html) for html in site.sections()]
    exporter = HTMLExporter(
        template_name="stargate_static",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    meta = frames.dataset.document.meta
    prefix = "../" if "/" in page_path(lang) else ""
    resources = {
        "stargate": {
            "lang": lang,
            "locale": LOCALES[lang],
            "title": f"{i18n.text('app.title', lang)} — {getattr(meta.title, lang)}",
            "description": i18n.text("app.subtitle", lang),
            "dataset_date": meta.updated.isoformat(),
            "export_date": exported.isoformat(),
            "alternates": [
                {"lang": other, "href": prefix + page_path(other)} for other in i18n.LANGUAGES
            ],
            "css": (STATIC / "dashboard.css").read_text("utf-8")
            + (STATIC / "site.css").read_text("utf-8"),
            "plotly_js": PLOTLY_JS.read_text("utf-8"),
            "site_js": scripts.with_chart_tools("site.js"),
            "data_json": script_json(site.data()),
        }
    }
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return body


def script_json(value: object) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' can close it or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _html_cell(html: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
    return cell


def _chart_slot(chart_id: str) -> str:
    """Where `site.js` mounts a chart with its tools, table and footer."""
    return f'<figure class="sg-chart-slot" data-chart="{chart_id}"></figure>'


class _Site:
    """The sections of one language's page and the data its script needs."""

    def __init__(self, frames: Frames, lang: str, exported: dt.date):
        self.frames = frames
        self.lang = lang
        self.exported = exported
        self.charts: dict[str, dict] = {}

    def _t(self, key: str, **values) -> str:
        return panels.escape(i18n.text(key, self.lang, **values))

    def _payload(self, chart: charts.Chart) -> dict:
        return charts.payload(self.frames, chart, self.lang)

    def _charts(self, key: str) -> str:
        """The view's charts as slots; their payloads go to the page script."""
        built = charts.view_charts(self.frames, key, self.lang, static=True)
        self.charts.update({chart.key: self._payload(chart) for chart in built})
        return "".join(_chart_slot(chart.key) for chart in built)

    def _embed(self, key: str) -> str:
        """The embed snippet's box; `site.js` writes the snippet with the page's address."""
        return (
            f'<details class="sg-embed-box"><summary>{self._t("tools.embed")}</summary>'
            f"<p>{self._t('tools.embed_note')}</p>"
            f'<textarea readonly rows="3" data-embed="{key}" aria-label="{self._t("tools.embed")}">'
            "</textarea></details>"
        )

    def sections(self) -> list[str]:
        return [
            self.header(),
            self.org(),
            self.funding(),
            self.timeline(),
            self.markets(),
            self.claims(),
            self.sources(),
        ]

    def _section(self, key: str, body: str) -> str:
        return (
            f'<section id="{key}" class="sg-view sg-view-{key}" data-view="{key}">'
            f"<h2>{self._t(f'view.{key}')}</h2>"
            f'<div class="sg-narrative"><p>{self._t(f"narrative.{key}")}</p></div>{body}'
            f"{self._embed(key)}</section>"
        )

    def header(self) -> str:
        lang, meta = self.lang, self.frames.dataset.document.meta
        prefix = "../" if "/" in page_path(lang) else ""
        languages = " · ".join(
            f'<a href="{prefix}{page_path(other)}" hreflang="{other}" lang="{other}">'
            f"{'English' if other == 'en' else '日本語'}</a>"
            for other in i18n.LANGUAGES
            if other != lang
        )
        nav = "".join(f'<a href="#{v}">{self._t(f"view.{v}")}</a>' for v in VIEWS)
        downloads = " · ".join(
            f'<a href="{prefix}data/{table}.csv" download>{panels.escape(table)}.csv</a>'
            for table in self.frames.dataset.table_names()
        )
        dataset_date = i18n.format_date(pd.Timestamp(meta.updated), lang)
        return (
            f'<header class="sg-header" lang="{lang}"><h1>{self._t("app.title")}</h1>'
            f"<p>{self._t('app.subtitle')}</p>"
            f'<p class="sg-meta">{self._t("app.dataset_date")}: {panels.escape(dataset_date)} · '
            f"{self._t('site.exported')}: "
            f"{panels.escape(i18n.format_date(pd.Timestamp(self.exported), lang))}</p>"
            f'<div class="sg-tools-slot"></div>'
            f'<p class="sg-language">{languages}</p><nav class="sg-nav">{nav}</nav>'
            f'<details class="sg-downloads"><summary>{self._t("site.downloads")}</summary>'
            f'<p>{downloads} · <a href="{prefix}data/stargate.json" download>stargate.json</a></p>'
            "</details></header>"
        )

    def org(self) -> str:
        frames, lang = self.frames, self.lang
        nodes = frames.org_nodes
        options = "".join(
            f'<option value="{panels.escape(n.id)}">{panels.escape(getattr(n, f"name_{lang}"))}</option>'
            for n in nodes.itertuples()
        )
        chart = self._charts("org")
        details = panels.node_details(frames, nodes.iloc[0]["id"], lang)
        body = (
            f'<p class="sg-controls"><label>{self._t("org.select")} '
            f'<select data-control="org-select">{options}</select></label></p>'
            f'{chart}<div class="sg-details-box" data-panel="org-details">{details}</div>'
        )
        return self._section("org", body)

    def funding(self) -> str:
        frames, lang = self.frames, self.lang
        names = frames.funder_names(lang)
        first = frames.presets[0]
        total = float(frames.announcement["amount_usd_bn"])
        initial = float(frames.initial_deployment["amount_usd_bn"])
        presets = (
            "".join(
                f'<option value="{panels.escape(p.key)}">{panels.escape(charts.preset_label(p, lang))}</option>'
                for p in frames.presets
            )
            + f'<option value="custom">{self._t("funding.custom")}</option>'
        )
        sliders = "".join(
            f'<label class="sg-range">{panels.escape(names[f])} % '
            f'<input type="range" min="0" max="100" step="0.5" value="{first.shares[f]:.1f}" '
            f'data-control="share" data-funder="{panels.escape(f)}"><output></output></label>'
            for f in frames.funders
        )
        currencies = "".join(
            f'<label><input type="radio" name="currency-{lang}" value="{c}" data-control="currency"'
            f"{' checked' if c == 'USD' else ''}> {panels.escape(i18n.term('currency', c, lang))}</label>"
            for c in frames.currencies
        )
        gdp = frames.latest_gdp
        slots = "".join(_chart_slot(key) for key in ("funding-per-funder", "funding-per-year"))
        slots += f'<p class="sg-note-box">{self._t("funding.year_note")}</p>'
        slots += "".join(_chart_slot(key) for key in ("funding-scale", "funding-gdp"))
        self.funding_variants = self._funding_variants()
        gdp_note = i18n.text(
            "funding.gdp_note",
            lang,
            year=gdp["period"],
            gdp=i18n.format_money(gdp["nominal_usd_bn"], lang),
        )
        body = (
            f'<div class="sg-controls"><p><label>{self._t("funding.preset")} '
            f'<select data-control="preset">{presets}</select></label> '
            f'<span data-panel="preset-status">{panels.badge(first.status, lang)}</span></p>'
            f'<p><label class="sg-range">{self._t("funding.total")} <input type="range" '
            f'min="{initial:g}" max="{total:g}" step="{funding.TOTAL_STEP:g}" value="{total:g}" data-control="total">'
            f"<output></output></label></p>{sliders}"
            f'<p class="sg-sum" data-panel="shares-sum"></p>'
            f"<fieldset><legend>{self._t('funding.currency')}</legend>{currencies}</fieldset>"
            f'<p class="sg-note-box" data-panel="fx-note"></p></div>{slots}'
            f'<p class="sg-note-box">{self._t("funding.scale_note")} {panels.escape(gdp_note)}</p>'
        )
        return self._section("funding", body)

    def timeline(self) -> str:
        chart = self._charts("timeline")
        body = (
            f'<p class="sg-note-box">{self._t("site.timeline_hint")}</p>{chart}'
            f'<div class="sg-details-box" data-panel="event-details"></div>'
        )
        return self._section("timeline", body)

    def markets(self) -> str:
        frames, lang = self.frames, self.lang
        days = frames.market_days
        first = frames.opening_market_day
        options = "".join(
            f'<option value="{pd.Timestamp(d).date()}"{" selected" if d == first else ""}>'
            f"{panels.escape(i18n.format_date(pd.Timestamp(d), lang))}</option>"
            for d in days
        )
        self.market_charts = {
            str(pd.Timestamp(d).date()): self._payload(charts.market_chart(frames, lang, d))
            for d in days
        }
        self.market_yields = {
            str(pd.Timestamp(d).date()): panels.yields_list(frames.market_moves_on(d), frames, lang)
            for d in days
        }
        self.charts["markets"] = self.market_charts[str(pd.Timestamp(first).date())]
        body = (
            f'<p class="sg-controls"><label>{self._t("markets.day")} '
            f'<select data-control="market-day">{options}</select></label></p>'
            f"{_chart_slot('markets')}"
            f'<div class="sg-details-box" data-panel="yields">'
            f"{self.market_yields[str(pd.Timestamp(first).date())]}</div>"
        )
        return self._section("markets", body)

    def claims(self) -> str:
        frames = self.frames
        claims, corrections = frames.dataset.claims, frames.dataset.corrections
        footer = panels.source_footer(
            frames,
            [i for ids in [*claims["source_ids"], *corrections["source_ids"]] for i in ids],
            claims["status"],
            self.lang,
        )
        return self._section("claims", panels.claims_html(frames, self.lang) + footer)

    def sources(self) -> str:
        sources = self.frames.sources
        body = (
            f'<p class="sg-controls"><label>{self._t("sources.filter")} '
            f'<input type="search" data-control="source-filter"></label> '
            f'<span data-panel="source-count">{self._t("sources.count", n=len(sources), total=len(sources))}</span></p>'
            f'<div class="sg-table-box">{panels.sources_table(sources, self.lang)}</div>'
        )
        return self._section("sources", body)

    def _funding_variants(self) -> dict[str, dict[str, dict]]:
        """Payloads of the charts whose sources depend on the preset and the currency, one per
        preset (and "custom") and currency, without figures: `site.js` recomputes the figures
        and rows for the reader's split and takes text, labels and sources from here."""
        frames, lang = self.frames, self.lang
        total = float(frames.announcement["amount_usd_bn"])
        variants: dict[str, dict[str, dict]] = {}
        first = frames.presets[0]
        for preset in [*frames.presets, None]:
            key = preset.key if preset else "custom"
            shares = dict((preset or first).shares)
            for currency in frames.currencies:
                split = charts.Split(preset, shares, total, frames.fx(currency))
                built = charts.funding_charts(frames, lang, split)
                if preset is first and currency == "USD":
                    self.charts.update({c.key: self._payload(c) for c in built})
                variants.setdefault(key, {})[currency] = {
                    c.key: self._variant(self._payload(c)) for c in built[:2]
                }
        return variants

    @staticmethod
    def _variant(payload: dict) -> dict:
        """A payload whose traces `site.js` takes from the opening chart: only the layout (axis
        titles in the currency) differs between variants."""
        return {**payload, "figure": {"layout": payload["figure"]["layout"]}}

    # --- data for site.js ------------------------------------------------------------------
    def data(self) -> dict:
        frames, lang = self.frames, self.lang
        nodes = frames.org_nodes
        events = frames.timeline
        fx = {c: frames.fx(c) for c in frames.currencies}
        return {
            "lang": lang,
            "charts": self.charts,
            "org_details": {
                n.id: panels.node_details(frames, n.id, lang)
                if n.kind == "organisation"
                else panels.person_details(frames, n.id, lang)
                for n in nodes.itertuples()
            },
            "event_details": {
                row["id"]: panels.event_details(frames, row, lang) for _, row in events.iterrows()
            },
            "market_charts": self.market_charts,
            "market_yields": self.market_yields,
            "funding": {
                "variants": self.funding_variants,
                "first_preset": frames.presets[0].key,
                "total": float(frames.announcement["amount_usd_bn"]),
                "share_digits": SHARE_DIGITS,
                "funders": frames.funders,
                "presets": {
                    p.key: {"shares": p.shares, "status": panels.badge(p.status, lang)}
                    for p in frames.presets
                },
                "initial": float(frames.initial_deployment["amount_usd_bn"]),
                "years": list(funding.YEARS),
                "gdp": float(frames.latest_gdp["nominal_usd_bn"]),
                "fx": {
                    c: {
                        "rate": choice.rate,
                        "note": ""
                        if c == "USD"
                        else i18n.text(
                            "funding.fx_note",
                            lang,
                            rate=f"{choice.rate:,.4g} {c}/USD",
                            date=i18n.format_date(choice.date, lang),
                        ),
                    }
                    for c, choice in fx.items()
                },
                "sum_label": i18n.text("funding.shares_sum", lang, total="{total}"),
            },
            "source_count_label": i18n.text("sources.count", lang, n="{n}", total="{total}"),
            "views": list(VIEWS),
            "lanes": {i18n.term("lane", lane, lang): lane for lane in frames.lanes},
            "months": [frames.months[0].strftime("%Y-%m"), frames.months[-1].strftime("%Y-%m")],
            "tools": i18n.tool_labels(lang),
            "citation": {
                "plain": citation.plain(frames.dataset, lang),
                "bibtex": citation.bibtex(frames.dataset),
            },
        }
