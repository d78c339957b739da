"""The org chart's layout, computed once when the page model is built: the page ships boxes and
routed edges, never a layout engine.

Which organisations the chart draws (those linked to the venture through commitments) and the
band each sits in (equity funders above the venture; technology partners, investors and
lenders, suppliers and customers, builders and sites below) follow from what the data says each
committed. The geometry comes from ELK Layered, the Eclipse Layout Kernel's layer-based
(Sugiyama) algorithm: each band is a partition, so bands stay in order from top to bottom, and
within them ELK minimises crossings, places boxes and routes every edge at right angles on a
track of its own (an edge never runs on another, nor through a box).

Why this engine, run this way. The model is built in Python: in a child process by
`model_cache` (at `make serve`'s warm-cache, and in a reader's kernel on a cache miss) and by
`make export`; whatever lays the chart out must install through pyproject.toml alone, for a
pip-only user too, work offline and be fast.
- elkjs (the JavaScript build of ELK, maintained by the ELK team at Kiel University) does
  layered layout with orthogonal routing and crossing minimisation, which hand routing did not.
  It is vendored (`vendor/elkjs/elk.bundled.js`, 0.12.1, with its EPL-2.0 licence) because npm
  is not part of a pip install, and run in V8 through `mini-racer`, a maintained PyPI package
  with wheels for Linux, macOS and Windows: no Node.js, no network. Loading ELK takes about
  0.15 s and both languages' layouts about 0.1 s more (`make bench` prints it).
- Running elkjs with Node at build time would break `pip install` users and kernels without
  Node; Graphviz needs a system binary (its `ortho` routing also shares tracks between edges);
  the pure-Python layered packages on PyPI are unmaintained or young and route no orthogonal
  edges.

Box sizes depend on the labels, which the browser measures with the reader's fonts: here the
text is only estimated (Noto Sans Bold's average widths, with room to spare) to size a box for
one to three lines of the name, and the runtime fits the measured text into the box it is given
(wrapping, and on an unlucky font shrinking it), so a label never leaves its box. Names differ
by language, so each language has its own layout.
"""

from __future__ import annotations

import json
import math
import re
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

BANDS = ("funders", "venture", "technology", "investors", "suppliers", "builders")
ELK_JS = Path(__file__).resolve().parent / "vendor" / "elkjs" / "elk.bundled.js"
# More organisations than this make a diagram nobody can read (and a layout that takes
# seconds): the runtime then shows the list it shows on a phone.
MAX_ORGS = 60
LAYOUT_TIMEOUT_S = 20
ENGINE_MEMORY_BYTES = 512 * 2**20

# Text inside a box: font size and line height (px) of the name and the second line, the
# padding around them and the gap between them. The runtime draws with these numbers.
TEXT = {"name": [14, 17], "sub": [12, 15], "pad": [10, 8], "gap": 2}
NAME_MAX = 150  # widest line of a name, px
VENTURE_NAME_MAX = 220
SUB_MIN = 180  # a funder's share, amount and status (EN or JA) fit on one line this wide
NAME_LINES_MAX = 3
SPARE = 1.12  # estimates leave this much room, for wrapping and other fonts

# Edge spacing is wide enough for an arrowhead between parallel edges.
LAYOUT_OPTIONS = {
    "elk.algorithm": "layered",
    "elk.direction": "DOWN",
    "elk.edgeRouting": "ORTHOGONAL",
    "elk.partitioning.activate": "true",
    "elk.spacing.nodeNode": "28",
    "elk.spacing.edgeEdge": "9",
    "elk.spacing.edgeNode": "14",
    "elk.layered.spacing.nodeNodeBetweenLayers": "36",
    "elk.layered.spacing.edgeNodeBetweenLayers": "14",
    "elk.layered.spacing.edgeEdgeBetweenLayers": "9",
    "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
    "elk.layered.crossingMinimization.greedySwitch.type": "TWO_SIDED",
    "elk.layered.thoroughness": "100",
    "elk.padding": "[top=4,left=4,bottom=4,right=4]",
}

# elkjs expects a browser or Node: a global object, and a setTimeout (its stand-in for a web
# worker posts the layout through one); a microtask does, and mini-racer runs those.
_SHIM = """var global = globalThis;
globalThis.setTimeout = (f, ms, ...args) => { Promise.resolve().then(() => f(...args)); return 0; };
"""


def linked_to_venture(document, venture: str) -> set[str]:
    """The organisations linked to the venture through commitments, in either direction and
    through any number of steps: the diagram draws these, so nothing floats apart from the
    story."""
    neighbours: dict[str, list[str]] = {}
    for c in document.commitments:
        neighbours.setdefault(c.org_id, []).append(c.to_id)
        neighbours.setdefault(c.to_id, []).append(c.org_id)
    linked, queue = {venture}, [venture]
    while queue:
        for other in neighbours.get(queue.pop(), []):
            if other not in linked:
                linked.add(other)
                queue.append(other)
    return linked


def bands(document, venture: str, funders: list[str], linked: set[str]) -> list[dict[str, Any]]:
    """Which band each organisation of the chart sits in, from what the data says it
    committed; the first rule that places an organisation wins."""
    commitments = [c for c in document.commitments if c.org_id in linked and c.to_id in linked]
    involved = {org for c in commitments for org in (c.org_id, c.to_id)}
    kinds = {org.id: org.kind for org in document.organisations}
    placed: dict[str, str] = {}

    def place(org: str, band: str) -> None:
        if org in involved and org not in placed:
            placed[org] = band

    for org in funders:
        place(org, "funders")
    place(venture, "venture")
    for c in commitments:
        if c.kind == "technology" and c.to_id == venture:
            place(c.org_id, "technology")
    for c in commitments:
        if (
            c.kind == "financing"
            or (c.kind == "equity" and c.to_id != venture)
            or kinds[c.org_id] in ("financier", "fund")
        ):
            place(c.org_id, "investors")
    # Compute bought, and technology supplied to anyone but the venture.
    for c in commitments:
        if c.kind == "compute_purchase":
            place(c.to_id, "suppliers")
    for c in commitments:
        if c.kind == "technology" and c.to_id != venture:
            place(c.org_id, "suppliers")
    for c in commitments:
        if c.kind == "compute_purchase":
            place(c.org_id, "suppliers")
    for c in commitments:
        for org in (c.org_id, c.to_id):
            place(org, "builders")
    grouped = [{"band": b, "ids": [o for o, ob in placed.items() if ob == b]} for b in BANDS]
    return [b for b in grouped if b["ids"]]


def edges(document, linked: set[str]) -> list[dict[str, Any]]:
    """The commitments among linked organisations, one edge per (from, to, kind), with the
    ids of the commitments each stands for."""
    grouped: dict[tuple[str, str, str], dict[str, Any]] = {}
    for c in document.commitments:
        if c.org_id in linked and c.to_id in linked:
            key = (c.org_id, c.to_id, c.kind)
            edge = grouped.setdefault(
                key, {"from": c.org_id, "to": c.to_id, "kind": c.kind, "commitments": []}
            )
            edge["commitments"].append(c.id)
    return list(grouped.values())


def org_layout(document, venture: str, funders: list[str]) -> dict[str, Any]:
    """What the org view draws: the bands (also the phone's list), the edges, the commitments
    left out of the diagram (nothing links them to the venture) and, per language, the
    geometry; `geometry` is None when the diagram would have more than MAX_ORGS boxes."""
    linked = linked_to_venture(document, venture)
    chart_bands = bands(document, venture, funders, linked)
    chart_edges = edges(document, linked)
    drawn = [org for band in chart_bands for org in band["ids"]]
    names = {org.id: org.name for org in document.organisations}
    geometry = None
    if len(drawn) <= MAX_ORGS:
        subs = {venture, *funders}
        geometry = {
            lang: _geometry(
                chart_bands,
                chart_edges,
                {
                    org: _box(getattr(names[org], lang), org == venture, org in subs)
                    for org in drawn
                },
            )
            for lang in ("en", "ja")
        }
    return {
        "bands": chart_bands,
        "edges": chart_edges,
        "unlinked": [
            c.id for c in document.commitments if c.org_id not in linked or c.to_id not in linked
        ],
        "text": TEXT,
        "geometry": geometry,
    }


def text_width(text: str, size: float) -> float:
    """An estimate of `text`'s width in bold at `size` px: Noto Sans Bold's average advance of
    each kind of character (CJK and full-width forms are one em)."""
    em = 0.0
    for ch in text:
        if ord(ch) >= 0x2E80:
            em += 1.0
        elif ch.isupper():
            em += 0.67
        elif ch.isdigit():
            em += 0.59
        elif ch.isspace():
            em += 0.23
        elif ch.isalpha():
            em += 0.57
        else:
            em += 0.52
    return em * size


def _box(name: str, is_venture: bool, has_sub: bool) -> tuple[int, int]:
    """Width and height of a box for `name` (on as few lines as fit NAME_MAX, at most three)
    and, for the venture and the funders, a second line of up to two lines."""
    size, line = TEXT["name"]
    sub_size, sub_line = TEXT["sub"]
    pad_x, pad_y = TEXT["pad"]
    widest = VENTURE_NAME_MAX if is_venture else NAME_MAX
    single = text_width(name, size)
    # A name that fits one line keeps it (a Japanese name breaks anywhere, so a narrower box
    # would split it); a longer one gets the lines it needs, each with room to spare.
    lines = 1 if single <= widest else min(NAME_LINES_MAX, math.ceil(single * SPARE / widest))
    # No line is narrower than the widest run that does not break: a word, a katakana word up
    # to its "・", a bracketed part.
    unbroken = max(text_width(part, size) for part in re.split(r"(?<=[\s・）)])|(?=[（(])", name))
    inner = min(widest, max(single * SPARE / lines, unbroken * SPARE))
    sub_lines = 0
    if has_sub:
        inner = max(inner, SUB_MIN)
        sub_lines = 1 if is_venture else 2
    inner = max(inner, 3 * size)
    below = sub_lines * sub_line + TEXT["gap"] if sub_lines else 0
    height = 2 * pad_y + lines * line + below + (size - line + 4)
    return math.ceil(inner + 2 * pad_x), math.ceil(height)


def _geometry(chart_bands, chart_edges, boxes: dict[str, tuple[int, int]]) -> dict[str, Any]:
    partition = {org: str(i) for i, band in enumerate(chart_bands) for org in band["ids"]}
    graph = {
        "id": "org",
        "layoutOptions": LAYOUT_OPTIONS,
        "children": [
            {
                "id": org,
                "width": width,
                "height": height,
                "layoutOptions": {"elk.partitioning.partition": partition[org]},
            }
            for org, (width, height) in boxes.items()
        ],
        "edges": [
            {"id": f"e{i}", "sources": [e["from"]], "targets": [e["to"]]}
            for i, e in enumerate(chart_edges)
        ],
    }
    laid = run_elk(graph)
    nodes = {n["id"]: [_r(n["x"]), _r(n["y"]), n["width"], n["height"]] for n in laid["children"]}
    routes = []
    for edge in sorted(laid["edges"], key=lambda e: int(e["id"][1:])):
        (section,) = edge["sections"]
        points = [section["startPoint"], *section.get("bendPoints", []), section["endPoint"]]
        routes.append([[_r(p["x"]), _r(p["y"])] for p in points])
    band_spans = []
    for band in chart_bands:
        tops = [nodes[org][1] for org in band["ids"]]
        bottoms = [nodes[org][1] + nodes[org][3] for org in band["ids"]]
        band_spans.append([min(tops), max(bottoms)])
    return {
        "width": _r(laid["width"]),
        "height": _r(laid["height"]),
        "nodes": nodes,
        "routes": routes,
        "bands": band_spans,
    }


def _r(value: float) -> float:
    return round(value * 2) / 2


@cache
def _engine_thread() -> ThreadPoolExecutor:
    """The one thread that talks to V8. mini-racer refuses timeouts, and waiting on a promise,
    in a thread that runs an asyncio loop (a notebook's, Playwright's); this one never does."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="elk")


@cache
def _engine():
    """One V8 context with ELK loaded, kept for the process (a model build lays out both
    languages; `make export` and the tests build several models)."""
    from py_mini_racer import MiniRacer

    context = MiniRacer()
    context.set_hard_memory_limit(ENGINE_MEMORY_BYTES)
    context.eval(_SHIM)
    context.eval(ELK_JS.read_text("utf-8"), timeout_sec=LAYOUT_TIMEOUT_S)
    context.eval("globalThis.elk = new ELK();")
    return context


def _layout_text(graph_json: str) -> str:
    promise = _engine().eval(f"elk.layout({graph_json}).then((g) => JSON.stringify(g))")
    return promise.get(timeout=LAYOUT_TIMEOUT_S)


def run_elk(graph: dict[str, Any]) -> dict[str, Any]:
    """ELK's layout of an ELK JSON graph: the same graph with positions and edge sections."""
    return json.loads(_engine_thread().submit(_layout_text, json.dumps(graph)).result())
