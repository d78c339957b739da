// The org chart as a layered diagram: equity funders above the venture, then technology
// partners, investors and lenders, suppliers and customers, builders and sites, each in a named
// band. Commitments are edges typed by colour and dash. Where boxes and edges go is decided when
// the page model is built (ELK's layered layout: few crossings, right angles, no edge on another
// or through a box; see org_layout.py), so this file only fits that layout to the width and
// draws it. Selecting a node fades everything it is not connected to and opens its panel. Where
// the diagram would be too small to read, a list grouped by band replaces it.

import { fill, h, nowrap, s, svgLines, textWidth, wrapText } from "./dom.js";
import { formatDate, formatMoney, formatPercent, pick } from "./i18n.js";
import { chartFrame, attachTooltip, originalTag, sourceItems } from "./chart.js";
import { badge, viewHeader, viewOf } from "./common.js";
import { bandRows, fitDiagram, fitLabel, joinedLines, partnersOf, routePath } from "./org_layout.js";

export const EDGE_STYLES = {
  equity: { colour: "#0072B2", dash: "", width: 3 },
  operations: { colour: "#E69F00", dash: "2 4", width: 2.5 },
  technology: { colour: "#009E73", dash: "8 4", width: 2 },
  financing: { colour: "#56B4E9", dash: "10 3 2 3", width: 2 },
  compute_purchase: { colour: "#CC79A7", dash: "14 5", width: 2 },
};
const PHONE = 640;
const LABEL_COLUMN = 118;

export function createOrgView(ctx) {
  const { t, page, lang } = ctx;
  const el = h("section", { class: "sg-view sg-view-org", "data-view": "org" });
  el.append(viewHeader(ctx, "org"));
  const layout = page.derived.org_layout;
  const commitments = new Map(page.data.commitments.map((c) => [c.id, c]));
  const unlinked = layout.unlinked.map((id) => commitments.get(id));
  const pairs = [...new Set(unlinked.map((c) => `${pick(page.orgs.get(c.org_id).name, lang)} → ${pick(page.orgs.get(c.to_id).name, lang)}`))];
  const unlinkedText = pairs.slice(0, 6);
  if (pairs.length > 6) unlinkedText.push(t("org.and_more", { n: pairs.length - 6 }));
  const frame = chartFrame(ctx, {
    key: "org-chart",
    title: t("org.chart_title"),
    subtitle: t("org.chart_subtitle"),
    note: unlinked.length ? t("org.unlinked", { list: unlinkedText.join(lang === "ja" ? "、" : "; ") }) : "",
  });
  const panel = h("aside", { class: "sg-panel", "data-panel": "org-details" });
  el.append(frame.el, panel);
  const { bands, edges } = layout;
  const geometry = layout.geometry && layout.geometry[lang];
  const name = (id) => pick(page.orgs.get(id).name, lang);
  const peopleOf = (id) => page.data.people.filter((p) => p.org_id === id);

  // The second line of a node: for a funder its share and amount as they stand now (the
  // latest of page_model.equity_reports), for the venture the announced total.
  function subline(id) {
    if (id === page.derived.venture) return t("org.venture_sub", { amount: formatMoney(page.announced, lang) });
    const standing = (kind) => {
      const latest = page.derived.equity[kind].at(-1);
      return (latest ? latest.records : []).map((record) => page.commitments.get(record)).find((c) => c.org_id === id);
    };
    const share = standing("shares");
    const amount = standing("amounts");
    if (!share && !amount) return "";
    const parts = [];
    if (share) parts.push(formatPercent(share.share_pct, 0));
    if (amount) parts.push(formatMoney(amount.amount_usd_bn, lang));
    const status = t.term("status", (share || amount).status);
    return parts.length ? `${parts.join(" · ")} ${lang === "ja" ? `（${status}）` : `(${status})`}` : "";
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
  function diagram(width, fit) {
    const labelColumn = LABEL_COLUMN;
    const { scale, left } = fit;
    const viewWidth = width / scale;
    // The legend, wrapped to the width, above the diagram.
    const legend = [];
    let lx = 4;
    let ly = 16;
    for (const [kind, style] of Object.entries(EDGE_STYLES)) {
      if (!edges.some((e) => e.kind === kind)) continue;
      const label = t.term("commitment", kind);
      const w = textWidth(label, 12) + 44;
      if (lx + w > viewWidth && lx > 4) {
        lx = 4;
        ly += 18;
      }
      legend.push({ kind, style, label, x: lx, y: ly });
      lx += w + 10;
    }
    const top = ly + 14;
    const viewHeight = top + geometry.height + 4;
    const svg = s("svg", { width: Math.floor(width), height: Math.ceil(viewHeight * scale), viewBox: `0 0 ${viewWidth.toFixed(1)} ${viewHeight}`, class: "sg-svg sg-org-svg" });
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
    // Band titles in the left column, rules between bands.
    for (const row of bandRows(bands, geometry.bands)) {
      const lines = wrapText(t(`org.band_${row.band}`), labelColumn - 8, 12, 700, 3);
      const middle = top + (row.top + row.bottom) / 2;
      svg.append(svgLines(lines, { class: "sg-band-label", x: 4, y: middle - (lines.length - 1) * 7 + 4 }, 14));
      if (row.rule !== null) svg.append(s("line", { class: "sg-band-rule", x1: 0, x2: viewWidth, y1: top + row.rule, y2: top + row.rule }));
    }
    const selected = ctx.state.node;
    const linked = selected ? partnersOf(edges, selected) : null;
    // Edges first, boxes on top.
    edges.forEach((e, index) => {
      const d = routePath(geometry.routes[index], left, top);
      const style = EDGE_STYLES[e.kind];
      const faded = linked && !(e.from === selected || e.to === selected);
      // With nothing picked, the venture's own commitments lead and the partners' commitments
      // to one another recede (they stay drawn and hoverable).
      const context = e.from !== page.derived.venture && e.to !== page.derived.venture;
      const group = s("g", { class: "sg-edge" + (faded ? " sg-faded" : "") + (linked && !faded ? " sg-linked" : "") + (context ? " sg-context" : ""), "data-from": e.from, "data-to": e.to, "data-kind": e.kind });
      // A hoverable line with a tooltip, and an image to a screen reader (a role that may
      // carry a label); the table holds the same facts.
      const hit = s("path", { d, class: "sg-edge-hit", role: "img" });
      group.append(hit);
      group.append(s("path", { d, class: "sg-edge-line", "marker-end": `url(#${arrows[e.kind]})`, style: `stroke:${style.colour};stroke-width:${style.width};stroke-dasharray:${style.dash}` }));
      const lines = [`${name(e.from)} → ${name(e.to)}`, t.term("commitment", e.kind)];
      for (const c of e.commitments.map((id) => commitments.get(id))) {
        const parts = [c.amount_usd_bn !== undefined ? formatMoney(c.amount_usd_bn, lang) : "", c.share_pct !== undefined ? formatPercent(c.share_pct, 0) : "", formatDate(c.as_of, lang), t.term("status", c.status)].filter(Boolean);
        lines.push(parts.join(" · "));
      }
      attachTooltip(hit, lines, { focusable: false });
      svg.append(group);
    });
    for (const { band, ids } of bands) {
      for (const id of ids) {
        const [x0, y0, w, hgt] = geometry.nodes[id];
        const x = x0 + left;
        const y = y0 + top;
        const isVenture = id === page.derived.venture;
        const isSelected = id === selected;
        const faded = linked && !linked.has(id);
        const group = s("g", {
          class: "sg-node" + (isVenture ? " sg-node-venture" : "") + (band === "funders" ? " sg-node-funder" : "") + (isSelected ? " sg-selected" : "") + (faded ? " sg-faded" : ""),
          "data-node": id,
          role: "button",
          "aria-pressed": String(isSelected),
        });
        group.append(s("rect", { x, y, width: w, height: hgt, rx: 6, class: "sg-node-box" }));
        const sub = subline(id);
        const label = fitLabel(name(id), sub, w, hgt, layout.text, wrapText, textWidth);
        group.append(svgLines(joinedLines(name(id), label.nameLines), { class: "sg-node-name", x: x + w / 2, y: y + label.baseline, "text-anchor": "middle", style: `font-size:${label.size}px` }, label.line));
        if (label.subLines.length) {
          // The second line's text follows the name's after a space, as its accessible name does.
          const subLines = joinedLines(sub, label.subLines);
          subLines[0] = ` ${subLines[0]}`;
          group.append(svgLines(subLines, { class: "sg-node-sub", x: x + w / 2, y: y + label.subBaseline, "text-anchor": "middle", style: `font-size:${label.subSize}px` }, label.subLine));
        }
        const people = peopleOf(id).map((p) => pick(p.name, lang));
        const tooltip = [name(id), pick(page.orgs.get(id).role, lang), ...(people.length ? [`${t("org.people")}: ${people.join(lang === "ja" ? "、" : ", ")}`] : [])];
        group.addEventListener("click", () => select(id));
        group.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            select(id);
          } else if (event.key === "Escape") {
            ctx.set({ node: "" });
          }
        });
        attachTooltip(group, tooltip);
        // A button's name starts with the words it shows (WCAG 2.5.3); the role and people follow.
        group.setAttribute("aria-label", [sub ? `${name(id)} ${sub}` : name(id), ...tooltip.slice(1)].join(" — "));
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
                    badge(t, c.status),
                    originalTag(ctx, c.sources)
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
    const width = Math.max(frame.el.clientWidth || ctx.width, 320);
    const fit = geometry && fitDiagram(geometry.width, LABEL_COLUMN, width);
    const phone = ctx.width < PHONE || !fit || !fit.fits;
    el.classList.toggle("sg-phone", phone);
    frame.draw({ svg: phone ? list() : diagram(width, fit), ...tableContent() });
    drawPanel();
  }

  // A new selection changes classes on what is drawn; the layout stays as it is.
  function select_() {
    const selected = ctx.state.node;
    const linked = selected ? partnersOf(edges, selected) : null;
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
    ctx.announce(selected ? t("announce.selected", { name: name(selected) }) : t("announce.cleared"));
  }

  return viewOf(ctx, el, draw, (changed) => {
    if (changed.has("node")) select_();
  });
}
