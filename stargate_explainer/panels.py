"""HTML fragments of the views (details, lists, footers, the error panel).

Pure functions from frames to HTML strings. Every value that comes from the data passes through
`escape` (or `link`, which also refuses anything but http(s) addresses) before it becomes HTML.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from . import i18n
from .frames import Frames, needs_warning, worst_status
from .problems import DataError

STATUS_COLOURS = {
    "confirmed": "#0072B2",
    "reported": "#8a5a00",
    "unverified": "#D55E00",
}


def escape(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: str) -> str:
    """The address if it is http(s), else "": no `javascript:` or `data:` link is ever made."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def link(url: str, label: str) -> str:
    if not safe_url(url):
        return escape(label)
    return f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(label)}</a>'


def badge(status: str, lang: str) -> str:
    colour = STATUS_COLOURS[status]
    return (
        f'<span class="sg-badge" style="border-color:{colour};color:{colour}">'
        f"{escape(i18n.term('status', status, lang))}</span>"
    )


def source_items(frames: Frames, source_ids: Iterable[str], lang: str) -> str:
    rows = frames.sources_for(source_ids)
    items = []
    for source in rows.itertuples():
        date = (
            i18n.format_date(source.date_published, lang) if pd.notna(source.date_published) else ""
        )
        items.append(
            f"<li>{link(source.url, source.title)} — {escape(source.publisher)}"
            f"{', ' + escape(date) if date else ''}</li>"
        )
    return f'<ol class="sg-sources">{"".join(items)}</ol>'


def source_footer(
    frames: Frames, source_ids: Iterable[str], statuses: Iterable[str], lang: str
) -> str:
    """The footer of a view: the sources of exactly the values it plots, and a warning when any
    of those values is not confirmed."""
    source_ids = list(dict.fromkeys(source_ids))
    statuses = list(statuses)
    worst = worst_status(statuses)
    note = ""
    if needs_warning(worst):
        note = f'<p class="sg-note">{escape(i18n.text("footer.status_note", lang))}: {badge(worst, lang)}</p>'
    return (
        f'<footer class="sg-footer">{note}<details><summary>{escape(i18n.text("footer.sources", lang))}'
        f" ({len(source_ids)})</summary>{source_items(frames, source_ids, lang)}</details></footer>"
    )


def node_details(frames: Frames, node_id: str, lang: str) -> str:
    nodes = frames.org_nodes.set_index("id")
    node = nodes.loc[node_id]
    parts = [f"<h3>{escape(node[f'name_{lang}'])}</h3><p>{escape(node[f'role_{lang}'])}</p>"]
    commitments = frames.commitments_of(node_id)
    names = frames.org_nodes.set_index("id")[f"name_{lang}"]
    parts.append(f"<h4>{escape(i18n.text('org.commitments', lang))}</h4>")
    if commitments.empty:
        parts.append(f"<p>{escape(i18n.text('org.none', lang))}</p>")
    else:
        items = []
        for c in commitments.itertuples():
            amount = (
                "" if pd.isna(c.amount_usd_bn) else f" · {i18n.format_money(c.amount_usd_bn, lang)}"
            )
            share = (
                "" if pd.isna(c.share_pct) else f" · {i18n.format_percent(c.share_pct, lang, 0)}"
            )
            items.append(
                f"<li><b>{escape(names.get(c.org_id, c.org_id))} → {escape(names.get(c.to_id, c.to_id))}</b>"
                f" · {escape(i18n.term('commitment', c.kind, lang))}{escape(amount)}{escape(share)} "
                f"{badge(c.status, lang)}<br>{escape(getattr(c, f'description_{lang}'))}"
                f"{source_items(frames, c.source_ids, lang)}</li>"
            )
        parts.append(f'<ul class="sg-list">{"".join(items)}</ul>')
    parts.append(f"<h4>{escape(i18n.text('footer.sources', lang))}</h4>")
    parts.append(source_items(frames, node["source_ids"], lang))
    return f'<div class="sg-details" data-node="{escape(node_id)}">{"".join(parts)}</div>'


def person_details(frames: Frames, person_id: str, lang: str) -> str:
    person = frames.org_nodes.set_index("id").loc[person_id]
    return (
        f'<div class="sg-details" data-node="{escape(person_id)}">'
        f"<h3>{escape(person[f'name_{lang}'])}</h3><p>{escape(person[f'role_{lang}'])}</p>"
        f"{source_items(frames, person['source_ids'], lang)}</div>"
    )


def event_details(frames: Frames, event: pd.Series, lang: str) -> str:
    date = i18n.format_date(event["date"], lang, event["date_precision"])
    planned = i18n.text("timeline.planned" if event["planned"] else "timeline.happened", lang)
    return (
        f'<div class="sg-details" data-event="{escape(event["id"])}">'
        f"<h3>{escape(event[f'title_{lang}'])}</h3>"
        f"<p><b>{escape(date)}</b> · {escape(planned)} · {badge(event['status'], lang)}</p>"
        f"<p>{escape(event[f'summary_{lang}'])}</p>"
        f"{source_items(frames, event['source_ids'], lang)}</div>"
    )


def yields_list(moves: pd.DataFrame, frames: Frames, lang: str) -> str:
    rows = moves[moves["unit"] == "pp"]
    if rows.empty:
        return ""
    items = []
    for m in rows.itertuples():
        change = i18n.format_number(m.change_pct, lang, 3)
        close = i18n.format_number(m.close, lang, 3)
        items.append(
            f"<li>{escape(getattr(m, f'name_{lang}'))}: "
            f"{escape(i18n.text('markets.pp', lang, change=change, close=close))} {badge(m.status, lang)}"
            f" — {escape(m.publisher)}</li>"
        )
    return f'<h4>{escape(i18n.text("markets.yields", lang))}</h4><ul class="sg-list">{"".join(items)}</ul>'


def claims_html(frames: Frames, lang: str) -> str:
    parts = []
    for claim, depth in frames.claim_threads:
        speaker = frames.speaker_name(claim["speaker_id"], lang)
        date = i18n.format_date(claim["date"], lang, claim["date_precision"])
        words = claim[f"text_{lang}"]
        original = ""
        if claim["text_lang"] != lang:
            original = f'<p class="sg-original" lang="{escape(claim["text_lang"])}">“{escape(claim["text_original"])}”</p>'
        reply = f"{escape(i18n.text('claims.reply', lang))} · " if depth else ""
        parts.append(
            f'<article class="sg-claim" data-claim="{escape(claim["id"])}" style="margin-left:{min(depth, 4) * 1.5}em">'
            f'<p class="sg-meta">{reply}<b>{escape(speaker)}</b> · {escape(date)} {badge(claim["status"], lang)}</p>'
            f"<blockquote>“{escape(words)}”</blockquote>{original}"
            f'<p class="sg-context">{escape(claim[f"context_{lang}"])}</p>'
            f"<details><summary>{escape(i18n.text('footer.sources', lang))}</summary>"
            f"{source_items(frames, claim['source_ids'], lang)}</details></article>"
        )
    corrections = []
    for c in frames.dataset.corrections.itertuples():
        corrections.append(
            f'<article class="sg-correction" data-correction="{escape(c.id)}">'
            f"<p><b>{escape(i18n.text('claims.said', lang))}:</b> "
            f'<span lang="{escape(c.said_lang)}">“{escape(c.said_original)}”</span>'
            + (f" ({escape(getattr(c, f'said_{lang}'))})" if c.said_lang != lang else "")
            + f"</p><p><b>{escape(i18n.text('claims.truth', lang))}:</b> {escape(getattr(c, f'truth_{lang}'))}</p>"
            f'<p class="sg-meta">{escape(i18n.text("claims.found_in", lang))}: {escape(c.found_in_headline)} — {escape(c.found_in_outlet)}</p>'
            f"{source_items(frames, c.source_ids, lang)}</article>"
        )
    return (
        f'<div class="sg-claims">{"".join(parts)}</div>'
        f"<h3>{escape(i18n.text('claims.corrections', lang))}</h3>"
        f'<div class="sg-corrections">{"".join(corrections)}</div>'
    )


def sources_table(sources: pd.DataFrame, lang: str) -> str:
    rows = []
    for s in sources.itertuples():
        date = i18n.format_date(s.date_published, lang) if pd.notna(s.date_published) else "—"
        rows.append(
            f"<tr><td>{link(s.url, s.title)}</td><td>{escape(s.publisher)}</td><td>{escape(date)}</td>"
            f"<td>{escape(i18n.term('source_kind', s.kind, lang))}</td><td>{escape(s.language)}</td>"
            f"<td><code>{escape(s.id)}</code></td></tr>"
        )
    return f'<table class="sg-table"><tbody>{"".join(rows)}</tbody></table>'


def error_panel(error: DataError, lang: str = "en") -> str:
    files = sorted({p.file for p in error.problems}) or ["?"]
    items = "".join(f"<li><code>{escape(p)}</code></li>" for p in error.problems)
    return (
        '<div role="alert" class="sg-error">'
        f"<h2>{escape(i18n.text('error.title', 'en'))} / {escape(i18n.text('error.title', 'ja'))}</h2>"
        f"<p>{escape(i18n.text('error.intro', lang, n=len(error.problems), file=', '.join(files)))}</p>"
        f"<ul>{items}</ul></div>"
    )
