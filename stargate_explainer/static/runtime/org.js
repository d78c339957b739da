// The org chart as a layered diagram: equity funders above the venture, then technology
// partners, investors and lenders, suppliers and customers, builders and sites, each in a named
// band. Commitments are edges typed by colour and dash, routed at right angles through the gaps
// between boxes and the channels between bands, so no line crosses a label. Selecting a node
// fades everything it is not connected to and opens its panel. At phone width a list grouped
// by band replaces the diagram.

import { fill, h, nowrap, s, svgLines, textWidth, wrapText } from "./dom.js";
import { formatDate, formatMoney, formatPercent, pick } from "./i18n.js";
import { chartFrame, attachTooltip, sourceItems } from "./chart.js";
import { badge, viewHeader } from "./common.js";

export const EDGE_STYLES = {
  equity: { colour: "#0072B2", dash: "", width: 3 },
  operations: { colour: "#E69F00", dash: "2 4", width: 2.5 },
  technology: { colour: "#009E73", dash: "8 4", width: 2 },
  financing: { colour: "#56B4E9", dash: "10 3 2 3", width: 2 },
  compute_purchase: { colour: "#CC79A7", dash: "14 5", width: 2 },
};
const BANDS = ["funders", "venture", "technology", "investors", "suppliers", "builders"];
const PHONE = 640;
const NAME_SIZE = 14;
const SUB_SIZE = 12;
const GAP = 28;
const TRACK = 7;

// Which band each organisation of the chart sits in, from what the data says it committed.
// The organisations linked to the venture through commitments, in either direction and through
// any number of steps: the diagram draws these, so nothing floats apart from the story.
export function linkedToVenture(page) {
  const venture = page.derived.venture;
  const neighbours = new Map();
  for (const c of page.data.commitments) {
    for (const [a, b] of [[c.org_id, c.to_id], [c.to_id, c.org_id]]) {
      if (!neighbours.has(a)) neighbours.set(a, []);
      neighbours.get(a).push(b);
    }
  }
  const linked = new Set([venture]);
  const queue = [venture];
  while (queue.length) {
    for (const next of neighbours.get(queue.pop()) || []) {
      if (!linked.has(next)) {
        linked.add(next);
        queue.push(next);
      }
    }
  }
  return linked;
}

export function orgBands(page, linked = linkedToVenture(page)) {
  const venture = page.derived.venture;
  const commitments = page.data.commitments.filter((c) => linked.has(c.org_id) && linked.has(c.to_id));
  const involved = new Set(commitments.flatMap((c) => [c.org_id, c.to_id]));
  const placed = new Map();
  const place = (id, band) => {
    if (involved.has(id) && !placed.has(id)) placed.set(id, band);
  };
  page.funders.forEach((id) => place(id, "funders"));
  place(venture, "venture");
  commitments.filter((c) => c.kind === "technology" && c.to_id === venture).forEach((c) => place(c.org_id, "technology"));
  for (const c of commitments) {
    const org = page.orgs.get(c.org_id);
    if (c.kind === "financing" || (c.kind === "equity" && c.to_id !== venture) || ["financier", "fund"].includes(org.kind)) place(c.org_id, "investors");
  }
  // Compute bought, and technology supplied to anyone but the venture.
  commitments.filter((c) => c.kind === "compute_purchase").forEach((c) => place(c.to_id, "suppliers"));
  commitments.filter((c) => c.kind === "technology" && c.to_id !== venture).forEach((c) => place(c.org_id, "suppliers"));
  commitments.filter((c) => c.kind === "compute_purchase").forEach((c) => place(c.org_id, "suppliers"));
  for (const id of involved) place(id, "builders");
  return BANDS.map((band) => ({ band, ids: [...placed].filter(([, b]) => b === band).map(([id]) => id) })).filter((b) => b.ids.length);
}

// Commitments drawn as one edge per (from, to, kind).
function edgesOf(page) {
  const groups = new Map();
  for (const c of page.data.commitments) {
    const key = `${c.org_id}|${c.to_id}|${c.kind}`;
    if (!groups.has(key)) groups.set(key, { from: c.org_id, to: c.to_id, kind: c.kind, commitments: [] });
    groups.get(key).commitments.push(c);
  }
  return [...groups.values()];
}

export function createOrgView(ctx) {
  const { t, page, lang } = ctx;
  const el = h("section", { class: "sg-view sg-view-org", "data-view": "org" });
  el.append(viewHeader(ctx, "org"));
  const linked = linkedToVenture(page);
  const unlinked = page.data.commitments.filter((c) => !linked.has(c.org_id) || !linked.has(c.to_id));
  const pairs = [...new Set(unlinked.map((c) => `${pick(page.orgs.get(c.org_id).name, lang)} → ${pick(page.orgs.get(c.to_id).name, lang)}`))];
  const unlinkedText = pairs.slice(0, 6);
  if (pairs.length > 6) unlinkedText.push(t("org.and_more", { n: pairs.length - 6 }));
  const frame = chartFrame(ctx, {
    key: "org-chart",
    title: t("org.chart_title"),
    subtitle: t("org.chart_subtitle"),
    note: unlinked.length ? t("org.unlinked", { list: unlinkedText.join(lang === "ja" ? "、" : "; ") }) : "",
  });
  const panel = h("aside", { class: "sg-panel", "aria-live": "polite", "data-panel": "org-details" });
  el.append(frame.el, panel);
  const bands = orgBands(page, linked);
  const edges = edgesOf(page);
  const name = (id) => pick(page.orgs.get(id).name, lang);
  const peopleOf = (id) => page.data.people.filter((p) => p.org_id === id);

  // The second line of a node: for a funder its reported share and amount, for the venture the
  // announced total.
  function subline(id) {
    if (id === page.derived.venture) return t("org.venture_sub", { amount: formatMoney(page.announced, lang) });
    const equity = page.data.commitments.filter((c) => c.org_id === id && c.to_id === page.derived.venture && c.kind === "equity" && !c.superseded_by);
    if (!equity.length) return "";
    const first = [...equity].sort((a, b) => (a.as_of < b.as_of ? -1 : 1));
    const share = first.find((c) => c.share_pct !== undefined);
    const amount = first.find((c) => c.amount_usd_bn !== undefined);
    const parts = [];
    if (share) parts.push(formatPercent(share.share_pct, 0));
    if (amount) parts.push(formatMoney(amount.amount_usd_bn, lang));
    const status = t.term("status", (share || amount).status);
    return parts.length ? `${parts.join(" · ")} ${lang === "ja" ? `（${status}）` : `(${status})`}` : "";
  }

  function connected(id) {
    const set = new Set([id]);
    for (const e of edges) {
      if (e.from === id) set.add(e.to);
      if (e.to === id) set.add(e.from);
    }
    return set;
  }

  function tableContent() {
    const rows = page.data.commitments.map((c) => [name(c.org_id), name(c.to_id), t.term("commitment", c.kind), c.amount_usd_bn ?? null, c.share_pct ?? null, c.as_of]);
    return {
      columns: [
        { key: "from", label: t("column.from") },
        { key: "to", label: t("column.to") },
        { key: "kind", label: t("column.kind") },
        { key: "amount_usd_bn", label: t("column.amount_usd_bn"), kind: "number", format: (v) => (v === null ? "—" : formatMoney(v, lang)) },
        { key: "share_pct", label: t("column.share_pct"), kind: "number", format: (v) => (v === null ? "—" : formatPercent(v, 1)) },
        { key: "as_of", label: t("column.as_of"), kind: "date", format: (v) => formatDate(v, lang) },
      ],
      rows,
      statuses: page.data.commitments.map((c) => c.status),
      sources: page.data.commitments.map((c) => c.sources),
    };
  }

  function select(id) {
    ctx.set({ node: id === ctx.state.node ? "" : id });
  }

  // --- the diagram --------------------------------------------------------------------------
  function diagram(width) {
    const labelColumn = width >= 900 ? 150 : 118;
    const left = labelColumn + 8;
    const right = width - 8;
    const measure = (id) => {
      const maxWidth = Math.min(230, right - left - 24);
      const nameLines = wrapText(name(id), maxWidth, NAME_SIZE, 700, 2);
      const sub = subline(id);
      const subLines = sub ? wrapText(sub, maxWidth, SUB_SIZE, 400, 2) : [];
      const w = Math.max(...nameLines.map((l) => textWidth(l, NAME_SIZE, 700)), ...subLines.map((l) => textWidth(l, SUB_SIZE)), 40) + 26;
      const hgt = 14 + nameLines.length * 17 + subLines.length * 15 + (id === page.derived.venture ? 8 : 0);
      return { id, nameLines, subLines, w, h: Math.max(hgt, 38) };
    };
    // Rows: each band's boxes, wrapped when they do not fit the width.
    const rows = [];
    for (const { band, ids } of bands) {
      let row = { band, nodes: [], first: true };
      let used = 0;
      for (const node of ids.map(measure)) {
        if (row.nodes.length && used + GAP + node.w > right - left) {
          rows.push(row);
          row = { band, nodes: [], first: false };
          used = 0;
        }
        used += (row.nodes.length ? GAP : 0) + node.w;
        row.nodes.push(node);
      }
      rows.push(row);
    }
    const nodes = new Map();
    const layoutRow = (row, r) => {
      const total = row.nodes.reduce((a, n) => a + n.w, 0) + GAP * (row.nodes.length - 1);
      let x = left + (right - left - total) / 2;
      for (const node of row.nodes) {
        node.x = x;
        node.row = r;
        nodes.set(node.id, node);
        x += node.w + GAP;
      }
    };
    rows.forEach(layoutRow);
    // Fewer crossings: below the funders, each row is ordered by where its boxes' partners sit
    // (the barycentre heuristic of layered drawing), twice down the rows.
    const drawnEdges = edges.filter((e) => nodes.has(e.from) && nodes.has(e.to));
    const centre = (node) => node.x + node.w / 2;
    for (let sweep = 0; sweep < 2; sweep++) {
      rows.forEach((row, r) => {
        if (r === 0 || row.band === "venture") return;
        const score = (node) => {
          const partners = drawnEdges.filter((e) => e.from === node.id || e.to === node.id).map((e) => nodes.get(e.from === node.id ? e.to : e.from)).filter((n) => n.row !== r);
          return partners.length ? partners.reduce((a, n) => a + centre(n), 0) / partners.length : centre(node);
        };
        const scores = new Map(row.nodes.map((n) => [n.id, score(n)]));
        row.nodes.sort((a, b) => scores.get(a.id) - scores.get(b.id));
        layoutRow(row, r);
      });
    }
    rows.forEach((row) => {
      row.height = Math.max(...row.nodes.map((n) => n.h));
      // Free gaps of the row, where lines may pass between bands.
      const gaps = [];
      let start = left - 4;
      for (const node of row.nodes) {
        gaps.push([start, node.x - 2]);
        start = node.x + node.w + 2;
      }
      gaps.push([start, right + 4]);
      row.gaps = gaps.filter(([a, b]) => b - a >= 6);
      row.gapUse = row.gaps.map(() => 0);
    });

    // Ports: a node's edges of one kind leave (or arrive) together from one point of its top or
    // bottom side, ordered along the side by where they go, so bundles do not cross at the box.
    const ports = new Map();
    for (const e of drawnEdges) {
      const a = nodes.get(e.from);
      const b = nodes.get(e.to);
      e.fromSide = a.row < b.row ? "bottom" : "top";
      e.toSide = a.row < b.row ? "top" : a.row === b.row ? "top" : "bottom";
      for (const [id, side, other] of [[e.from, e.fromSide, b], [e.to, e.toSide, a]]) {
        const key = `${id}|${side}|${e.kind}`;
        if (!ports.has(key)) ports.set(key, { id, side, kind: e.kind, others: [] });
        ports.get(key).others.push(centre(other));
      }
    }
    const bySide = new Map();
    for (const [key, port] of ports) {
      const sideKey = `${port.id}|${port.side}`;
      if (!bySide.has(sideKey)) bySide.set(sideKey, []);
      port.mean = port.others.reduce((a, b) => a + b, 0) / port.others.length;
      bySide.get(sideKey).push([key, port]);
    }
    for (const list of bySide.values()) {
      list.sort((p, q) => p[1].mean - q[1].mean);
      const node = nodes.get(list[0][1].id);
      list.forEach(([, port], i) => (port.x = node.x + (node.w * (i + 1)) / (list.length + 1)));
    }

    // Routes: from the source port into the next channel, through a gap of every row between,
    // to the target port. Channel r lies above row r.
    const channels = Array.from({ length: rows.length + 1 }, () => []);
    const pickGap = (r, x) => {
      const row = rows[r];
      let best = 0;
      let bestCost = Infinity;
      row.gaps.forEach(([a, b], i) => {
        const cx = Math.min(Math.max(x, a + 4), b - 4);
        const cost = Math.abs(cx - x) + row.gapUse[i] * 3;
        if (cost < bestCost) {
          bestCost = cost;
          best = i;
        }
      });
      const [a, b] = row.gaps[best];
      // Lines sharing a gap run side by side, alternately right and left of the first.
      const use = row.gapUse[best]++;
      const middle = Math.min(Math.max(x, a + 4), b - 4);
      const offset = Math.ceil(use / 2) * TRACK * (use % 2 ? 1 : -1);
      return Math.min(b - 3, Math.max(a + 3, middle + offset));
    };
    const routes = drawnEdges.map((e) => {
      const a = nodes.get(e.from);
      const b = nodes.get(e.to);
      const source = ports.get(`${e.from}|${e.fromSide}|${e.kind}`);
      const target = ports.get(`${e.to}|${e.toSide}|${e.kind}`);
      // A run in a channel shares its track with the rest of its bundle: the source's when the
      // source sends several of this kind, else the target's.
      const bundle = source.others.length > 1 ? `s:${e.from}|${e.fromSide}|${e.kind}` : `t:${e.to}|${e.toSide}|${e.kind}`;
      const path = [{ x: source.x, node: a, side: e.fromSide }];
      const run = (channel, x0, x1, group) => {
        const item = { lo: Math.min(x0, x1), hi: Math.max(x0, x1), group };
        channels[channel].push(item);
        path.push({ x: x0, run: item, channel }, { x: x1, run: item, channel });
      };
      if (a.row === b.row) {
        run(a.row, source.x, target.x, bundle);
      } else {
        const step = a.row < b.row ? 1 : -1;
        let x = source.x;
        let channel = step > 0 ? a.row + 1 : a.row;
        for (let r = a.row + step; r !== b.row; r += step) {
          const gx = pickGap(r, target.x);
          run(channel, x, gx, r === a.row + step ? bundle : `e:${e.from}|${e.to}|${e.kind}`);
          channel += step;
          x = gx;
        }
        run(channel, x, target.x, a.row + step === b.row ? bundle : `t:${e.to}|${e.toSide}|${e.kind}`);
      }
      path.push({ x: target.x, node: b, side: e.toSide });
      return path;
    });
    const channelHeights = channels.map((runs) => {
      // One track per bundle; bundles whose spans overlap get different tracks.
      const groups = new Map();
      for (const item of runs) {
        const group = groups.get(item.group) || { lo: Infinity, hi: -Infinity, items: [] };
        group.lo = Math.min(group.lo, item.lo);
        group.hi = Math.max(group.hi, item.hi);
        group.items.push(item);
        groups.set(item.group, group);
      }
      const ordered = [...groups.values()].sort((p, q) => p.lo - q.lo || p.hi - q.hi);
      const trackEnds = [];
      for (const group of ordered) {
        let track = trackEnds.findIndex((end) => end < group.lo - 5);
        if (track < 0) {
          track = trackEnds.length;
          trackEnds.push(0);
        }
        trackEnds[track] = group.hi;
        for (const item of group.items) item.track = track;
      }
      return Math.max(22, trackEnds.length * TRACK + 18);
    });

    // Vertical positions: channel, row, channel, row, …
    const legend = [];
    let lx = 4;
    let ly = 16;
    for (const [kind, style] of Object.entries(EDGE_STYLES)) {
      if (!drawnEdges.some((e) => e.kind === kind)) continue;
      const label = t.term("commitment", kind);
      const w = textWidth(label, 12) + 44;
      if (lx + w > width && lx > 4) {
        lx = 4;
        ly += 18;
      }
      legend.push({ kind, style, label, x: lx, y: ly });
      lx += w + 10;
    }
    let y = ly + 14;
    const channelTop = [];
    rows.forEach((row, r) => {
      const bandTitle = row.first && r > 0 ? 10 : 0;
      channelTop[r] = y + bandTitle;
      y += bandTitle + channelHeights[r];
      row.y = y;
      y += row.height;
    });
    channelTop[rows.length] = y;
    y += channelHeights[rows.length];
    const height = y + 4;
    const trackY = (channel, track) => channelTop[channel] + 10 + track * TRACK;

    const svg = s("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "sg-svg sg-org-svg", role: "group", "aria-label": t("org.chart_title") });
    const defs = s("defs");
    const arrows = Object.fromEntries(Object.keys(EDGE_STYLES).map((kind) => [kind, ctx.uid(`arrow-${kind}`)]));
    for (const [kind, style] of Object.entries(EDGE_STYLES)) {
      defs.append(s("marker", { id: arrows[kind], viewBox: "0 0 8 8", refX: 7, refY: 4, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, s("path", { d: "M0,0 L8,4 L0,8 z", style: `fill:${style.colour}` })));
    }
    svg.append(defs);
    for (const item of legend) {
      svg.append(s("line", { x1: item.x, x2: item.x + 26, y1: item.y - 4, y2: item.y - 4, class: "sg-edge-sample", style: `stroke:${item.style.colour};stroke-width:${item.style.width};stroke-dasharray:${item.style.dash}` }));
      svg.append(s("text", { class: "sg-legend", x: item.x + 32, y: item.y }, item.label));
    }
    // Band titles in the left column.
    rows.forEach((row, r) => {
      if (!row.first) return;
      const lines = wrapText(t(`org.band_${row.band}`), labelColumn - 8, 12, 700, 2);
      svg.append(svgLines(lines, { class: "sg-band-label", x: 4, y: row.y + row.height / 2 - (lines.length - 1) * 7 + 4 }, 14));
      if (r > 0) svg.append(s("line", { class: "sg-band-rule", x1: 0, x2: width, y1: channelTop[r] - 6, y2: channelTop[r] - 6 }));
    });
    const selected = ctx.state.node;
    const linked = selected ? connected(selected) : null;
    // Edges first, boxes on top.
    drawnEdges.forEach((e, index) => {
      const points = routes[index].map((p) => {
        if (p.node) return [p.x, p.side === "top" ? rows[p.node.row].y : rows[p.node.row].y + p.node.h];
        return [p.x, trackY(p.channel, p.run.track)];
      });
      const d = points.map(([x, py], i) => `${i ? "L" : "M"}${x.toFixed(1)},${py.toFixed(1)}`).join(" ");
      const style = EDGE_STYLES[e.kind];
      const faded = linked && !(e.from === selected || e.to === selected);
      // With nothing picked, the venture's own commitments lead and the partners' commitments
      // to one another recede (they stay drawn and hoverable).
      const context = e.from !== page.derived.venture && e.to !== page.derived.venture;
      const group = s("g", { class: "sg-edge" + (faded ? " sg-faded" : "") + (linked && !faded ? " sg-linked" : "") + (context ? " sg-context" : ""), "data-from": e.from, "data-to": e.to, "data-kind": e.kind });
      group.append(s("path", { d, class: "sg-edge-hit" }));
      group.append(s("path", { d, class: "sg-edge-line", "marker-end": `url(#${arrows[e.kind]})`, style: `stroke:${style.colour};stroke-width:${style.width};stroke-dasharray:${style.dash}` }));
      const lines = [`${name(e.from)} → ${name(e.to)}`, t.term("commitment", e.kind)];
      for (const c of e.commitments) {
        const parts = [c.amount_usd_bn !== undefined ? formatMoney(c.amount_usd_bn, lang) : "", c.share_pct !== undefined ? formatPercent(c.share_pct, 0) : "", formatDate(c.as_of, lang), t.term("status", c.status)].filter(Boolean);
        lines.push(parts.join(" · "));
      }
      attachTooltip(group.firstChild, lines, { focusable: false });
      svg.append(group);
    });
    for (const row of rows) {
      for (const node of row.nodes) {
        const isVenture = node.id === page.derived.venture;
        const isSelected = node.id === selected;
        const faded = linked && !linked.has(node.id);
        const group = s("g", {
          class: "sg-node" + (isVenture ? " sg-node-venture" : "") + (row.band === "funders" ? " sg-node-funder" : "") + (isSelected ? " sg-selected" : "") + (faded ? " sg-faded" : ""),
          "data-node": node.id,
          role: "button",
          "aria-pressed": String(isSelected),
        });
        group.append(s("rect", { x: node.x, y: row.y, width: node.w, height: node.h, rx: 6, class: "sg-node-box" }));
        const textTop = row.y + 19 + (isVenture ? 4 : 0);
        group.append(svgLines(node.nameLines, { class: "sg-node-name", x: node.x + node.w / 2, y: textTop, "text-anchor": "middle" }, 17));
        if (node.subLines.length) {
          group.append(svgLines(node.subLines, { class: "sg-node-sub", x: node.x + node.w / 2, y: textTop + node.nameLines.length * 17, "text-anchor": "middle" }, 15));
        }
        const people = peopleOf(node.id).map((p) => pick(p.name, lang));
        const tooltip = [name(node.id), pick(page.orgs.get(node.id).role, lang), ...(people.length ? [`${t("org.people")}: ${people.join(lang === "ja" ? "、" : ", ")}`] : [])];
        group.addEventListener("click", () => select(node.id));
        group.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            select(node.id);
          } else if (event.key === "Escape") {
            ctx.set({ node: "" });
          }
        });
        attachTooltip(group, tooltip);
        svg.append(group);
      }
    }
    return svg;
  }

  // --- the phone list ---------------------------------------------------------------------------
  function list() {
    const wrap = h("div", { class: "sg-org-list" });
    for (const { band, ids } of bands) {
      wrap.append(h("h4", { class: "sg-band-heading" }, t(`org.band_${band}`)));
      const items = h("ul", { class: "sg-org-items" });
      for (const id of ids) {
        const sub = subline(id);
        const selected = ctx.state.node === id;
        items.append(
          h(
            "li",
            {},
            h("button", { type: "button", class: "sg-org-item" + (selected ? " sg-selected" : ""), "data-node": id, "aria-pressed": String(selected), onclick: () => select(id) }, h("strong", {}, name(id)), sub ? h("span", { class: "sg-node-sub" }, sub) : null)
          )
        );
      }
      wrap.append(items);
    }
    return wrap;
  }

  function drawPanel() {
    const id = ctx.state.node || page.derived.venture;
    const org = page.orgs.get(id);
    const people = peopleOf(id);
    const commitments = page.data.commitments.filter((c) => c.org_id === id || c.to_id === id);
    fill(panel, 
      h("h3", {}, name(id)),
      h("p", {}, pick(org.role, lang)),
      people.length ? h("h4", {}, t("org.people")) : null,
      people.length ? h("ul", { class: "sg-people" }, ...people.map((p) => h("li", {}, h("strong", {}, pick(p.name, lang)), " — ", pick(p.role, lang)))) : null,
      h("h4", {}, t("org.commitments", { n: commitments.length })),
      commitments.length
        ? h(
            "ul",
            { class: "sg-commitments" },
            ...commitments.map((c) =>
              h(
                "li",
                { "data-commitment": c.id },
                h(
                  "details",
                  {},
                  h(
                    "summary",
                    {},
                    h("strong", {}, `${name(c.org_id)} → ${name(c.to_id)}`),
                    ` · ${t.term("commitment", c.kind)}`,
                    c.amount_usd_bn !== undefined ? [" · ", nowrap(formatMoney(c.amount_usd_bn, lang))] : null,
                    c.share_pct !== undefined ? [" · ", nowrap(formatPercent(c.share_pct, 0))] : null,
                    " · ",
                    nowrap(formatDate(c.as_of, lang)),
                    " ",
                    badge(t, c.status)
                  ),
                  h("p", {}, pick(c.description, lang)),
                  sourceItems(ctx, c.sources)
                )
              )
            )
          )
        : h("p", {}, t("org.none")),
      h("details", {}, h("summary", {}, t("org.sources", { n: org.sources.length })), sourceItems(ctx, org.sources))
    );
  }

  function draw() {
    const width = frame.el.clientWidth || ctx.width;
    const phone = ctx.width < PHONE;
    el.classList.toggle("sg-phone", phone);
    frame.draw({ svg: phone ? list() : diagram(Math.max(width, 320)), ...tableContent() });
    drawPanel();
  }

  // A new selection changes classes on what is drawn; the layout stays as it is.
  function select_() {
    const selected = ctx.state.node;
    const linked = selected ? connected(selected) : null;
    for (const node of frame.plot.querySelectorAll("[data-node]")) {
      const id = node.getAttribute("data-node");
      const on = id === selected;
      node.classList.toggle("sg-selected", on);
      node.setAttribute("aria-pressed", String(on));
      node.classList.toggle("sg-faded", Boolean(linked) && !linked.has(id) && node.tagName !== "BUTTON");
    }
    for (const edge of frame.plot.querySelectorAll(".sg-edge")) {
      const touches = edge.dataset.from === selected || edge.dataset.to === selected;
      edge.classList.toggle("sg-faded", Boolean(linked) && !touches);
      edge.classList.toggle("sg-linked", Boolean(linked) && touches);
    }
    frame.touch();
    drawPanel();
  }

  const view = {
    el,
    width: 0,
    resize() {
      view.width = ctx.width;
      draw();
    },
    update(changed) {
      if (changed.has("node")) select_();
    },
  };
  return view;
}
