"""Which sources are originals, and how many facts stand on one.

A source's publisher is not written on the source: it is the publisher whose domain its address
is on (the longest match, so 'equity.jiji.com' is Jiji Press at 'jiji.com'), and the kind is
reviewed once per publisher in the `publishers` table, so that it cannot drift source by source.
Two cases change a source's kind:
- a page that carries another publisher's story under licence (`syndicated_from`: a Reuters
  story on CNA's site) is of that publisher's kind, when its host is a carrier (an original, or
  an aggregator printing the story verbatim); a repost, blog or content farm stays what it is;
- a labelled copy (`archived_copy_of`: an archive snapshot, a republication) is a `copy`: it is
  listed beside its original and never counted as one.

The validator, the public columns, the page model and `make validate` all ask this module, so the
rule and the figures exist once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .schema import CARRIER_KINDS, ORIGINAL_KINDS, WEAK_KINDS, Publisher, Source

COPY = "copy"
# The order of every source list: originals first, then labelled copies, then the rest.
SOURCE_KINDS = (*ORIGINAL_KINDS, COPY, *WEAK_KINDS)
# The fields in which a record cites its sources; a claim's verdict is a fact of its own.
CITING_FIELDS = ("sources", "verdict_sources")


def host(url: str) -> str:
    """The host of an address, lowercase and without a trailing dot."""
    try:
        name = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return name.rstrip(".")


def domain_of(name: str, domains: Iterable[str] | dict[str, Any]) -> str | None:
    """The longest of `domains` that the host `name` is, or is under."""
    known = domains if isinstance(domains, dict | set | frozenset) else set(domains)
    labels = name.split(".")
    for start in range(len(labels) - 1):
        candidate = ".".join(labels[start:])
        if candidate in known:
            return candidate
    return None


@dataclass(frozen=True)
class SourceInfo:
    """What the publishers table says of one source."""

    domain: str | None  # the host's publisher; None when no publisher covers the host
    credit: str  # "CNA (Reuters)": the host's publisher, and the one whose story it carries
    kind: str | None  # a publisher kind, or `copy`; None when the host has no publisher
    original: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "publisher": self.credit,
            "domain": self.domain,
            "kind": self.kind,
            "original": self.original,
        }


class Provenance:
    """The publishers and sources of one file, and what follows from them."""

    def __init__(self, publishers: Iterable[Publisher], sources: Iterable[Source]):
        self.publishers: dict[str, Publisher] = {p.domain: p for p in publishers}
        self.sources: dict[str, Source] = {s.id: s for s in sources}
        self.info: dict[str, SourceInfo] = {
            source_id: self._info(source) for source_id, source in self.sources.items()
        }

    def _info(self, source: Source) -> SourceInfo:
        domain = domain_of(host(source.url), self.publishers)
        publisher = self.publishers.get(domain or "")
        carried = self.publishers.get(source.syndicated_from or "")
        name = publisher.name if publisher else host(source.url)
        credit = f"{name} ({carried.name})" if carried and carried is not publisher else name
        if publisher is None:
            kind = None
        elif source.archived_copy_of is not None:
            kind = COPY
        elif carried is not None and publisher.kind in CARRIER_KINDS:
            kind = carried.kind
        else:
            kind = publisher.kind
        return SourceInfo(domain, credit, kind, kind in ORIGINAL_KINDS)

    def is_original(self, source_id: str) -> bool:
        info = self.info.get(source_id)
        return info is not None and info.original

    def has_original(self, ids: Iterable[str]) -> bool:
        return any(self.is_original(source_id) for source_id in ids)

    def lacking(self, record: Any) -> list[str]:
        """The citing fields of `record` with no original among their sources."""
        return [
            field
            for field in CITING_FIELDS
            if (ids := getattr(record, field, None)) is not None and not self.has_original(ids)
        ]

    def described(self, source_id: str) -> str:
        """'menafn.com (a repost)' or "'x-copy' (a copy of 'x')": why a source is no original."""
        source = self.sources.get(source_id)
        info = self.info.get(source_id)
        if source is None or info is None:
            return f"'{source_id}'"
        if info.kind == COPY:
            return f"'{source_id}' on {info.domain} (a copy of '{source.archived_copy_of}')"
        carried = f", carrying {source.syndicated_from}" if source.syndicated_from else ""
        return f"{info.domain} ({kind_phrase(info.kind)}{carried})"


def kind_phrase(kind: str | None) -> str:
    """'a repost', 'a content farm', 'an aggregator': a kind in a sentence."""
    if kind is None:
        return "no publisher"
    words = kind.replace("_", " ")
    return ("an " if words[0] in "aeiou" else "a ") + words


def citing_tables(document: Any) -> list[str]:
    """The tables whose records cite sources (every table but `publishers` and `sources`)."""
    return [
        name
        for name in type(document).model_fields
        if name not in ("meta", "publishers", "sources")
    ]


def record_label(table: str, record: Any) -> str:
    """How a message or the page names a record: its id, or what identifies a row without one."""
    if getattr(record, "id", None):
        return str(record.id)
    if table == "fx":
        return f"{record.base}/{record.quote} {record.date}"
    if table == "price_index":
        return str(record.year)
    return table


def quality(document: Any, provenance: Provenance | None = None) -> dict[str, Any]:
    """How many facts stand on an original, and the sources' make-up: the summary the Sources
    view shows and `make validate` prints. A fact is one citing record; it stands on originals
    when each of its citing fields (a claim's words and its verdict) cites at least one. Each
    record marked `no_original` is listed with its reason and the source lists that lack an
    original (so that the page can mark a chart row or a source list by its sources)."""
    provenance = provenance or Provenance(document.publishers, document.sources)
    facts = on_originals = 0
    marked = []
    for table in citing_tables(document):
        for record in getattr(document, table):
            facts += 1
            lacking = provenance.lacking(record)
            if not lacking:
                on_originals += 1
            elif record.no_original is not None:
                marked.append(
                    {
                        "table": table,
                        "id": record_label(table, record),
                        "lists": [list(getattr(record, field)) for field in lacking],
                        "reason": record.no_original.model_dump(),
                    }
                )
    kinds = Counter(info.kind for info in provenance.info.values())
    # Reporting carries a publication date; a public body's reference page (a statistics table,
    # a history notebook) is read as it stands, on its date_accessed, and often shows none.
    reporting = [s for s in document.sources if provenance.info[s.id].kind != "regulator"]
    dated = sum(1 for s in document.sources if s.date_published is not None)
    reporting_dated = sum(1 for s in reporting if s.date_published is not None)
    return {
        "facts": facts,
        "on_originals": on_originals,
        "on_originals_share": _ratio(on_originals, facts),
        "no_original": len(marked),
        "marked": marked,
        "sources": len(document.sources),
        "original_sources": sum(1 for info in provenance.info.values() if info.original),
        "dated": dated,
        "dated_share": _ratio(dated, len(document.sources)),
        "reporting": len(reporting),
        "reporting_dated": reporting_dated,
        "reporting_dated_share": _ratio(reporting_dated, len(reporting)),
        "by_kind": {kind: kinds[kind] for kind in SOURCE_KINDS if kinds[kind]},
    }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def quality_lines(summary: dict[str, Any]) -> list[str]:
    """The summary as `make validate` prints it."""
    kinds = ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in summary["by_kind"].items())
    return [
        f"facts on an original source: {summary['on_originals']} of {summary['facts']} "
        f"({_percent(summary['on_originals_share'])})",
        f"facts with no original (marked, reason given): {summary['no_original']}",
        f"sources: {summary['sources']}, originals {summary['original_sources']}, "
        f"dated {summary['dated']} ({_percent(summary['dated_share'])}); reporting dated "
        f"{summary['reporting_dated']} of {summary['reporting']} "
        f"({_percent(summary['reporting_dated_share'])}, public bodies' reference pages aside)",
        f"sources by kind: {kinds}",
    ]


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f}%"
