// Markets: how shares of the funders and partners moved on each trading day around the
// announcement. Where sources give different figures for the same security and day, each
// figure is a bar of its own, labelled with its publisher and marked "sources differ".

import { fill, h, nowrap, s, svgLines, textWidth, wrapText } from "./dom.js";
import { formatDate, formatNumber, formatPercent, pick } from "./i18n.js";
import { chartFrame, attachTooltip, niceTicks } from "./chart.js";
import { badge, viewHeader, viewOf } from "./common.js";

const POSITIVE = "#0072B2";
const NEGATIVE = "#D55E00";

export function createMarketsView(ctx) {
  const { t, page, lang } = ctx;
  const el = h("section", { class: "sg-view sg-view-markets", "data-view": "markets" });
  el.append(viewHeader(ctx, "markets"));
  const day = () => ctx.state.market_day || page.openingMarketDay;
  const dayButtons = page.marketDays.map((d) =>
    h("button", { type: "button", class: "sg-chip", "data-day": d, "aria-pressed": "false", onclick: () => ctx.set({ market_day: d === page.openingMarketDay ? "" : d }) }, formatDate(d, lang))
  );
  el.append(h("div", { class: "sg-controls" }, h("div", { class: "sg-control", role: "group", "aria-label": t("markets.day") }, h("span", { class: "sg-control-label" }, t("markets.day")), ...dayButtons)));
  const frame = chartFrame(ctx, { key: "markets", title: t("markets.change"), subtitle: t("markets.subtitle") });
  const yields = h("div", { class: "sg-panel", "data-panel": "yields" });
  el.append(frame.el, yields);

  function publisher(move) {
    const source = page.sources.get(move.sources[0]);
    return source ? source.publisher : "";
  }

  function chart(width, moves) {
    const differs = new Set();
    const counts = new Map();
    for (const m of moves) counts.set(m.ticker, (counts.get(m.ticker) || 0) + 1);
    for (const [ticker, n] of counts) if (n > 1) differs.add(ticker);
    const rows = moves.map((m) => ({
      move: m,
      label: pick(m.name, lang),
      sub: differs.has(m.ticker) ? `${publisher(m)} · ${t("markets.sources_differ")}` : "",
    }));
    const labelWidth = Math.min(width * 0.42, Math.max(...rows.map((r) => Math.max(textWidth(r.label, 13), textWidth(r.sub, 11))), 60) + 10);
    const wrapped = rows.map((r) => ({ name: wrapText(r.label, labelWidth - 10, 13, 400, 2), sub: r.sub ? wrapText(r.sub, labelWidth - 10, 11, 400, 2) : [] }));
    // A source line starts 2 px further down than the next line of the name would, so that
    // the smaller text's box clears the name's.
    const subLines = (w) => (w.sub.length ? w.sub.length * 13 + 2 : 0);
    const heights = wrapped.map((w) => Math.max(30, w.name.length * 15 + subLines(w) + 10));
    const valueText = (m) => formatPercent(m.change_pct, 2, true);
    const room = Math.max(...moves.map((m) => textWidth(valueText(m), 12, 600))) + 10;
    const x0 = labelWidth;
    const x1 = width - 6;
    const largest = Math.max(...moves.map((m) => Math.abs(m.change_pct)), 1);
    const hasNegative = moves.some((m) => m.change_pct < 0);
    const hasPositive = moves.some((m) => m.change_pct > 0);
    const ticks = niceTicks(largest, width < 500 ? 2 : 4);
    const domain = ticks[ticks.length - 1];
    const plotWidth = x1 - x0 - room * (hasNegative && hasPositive ? 2 : 1);
    const span = (hasNegative && hasPositive ? 2 : 1) * domain;
    const zero = x0 + (hasNegative ? (hasPositive ? room + plotWidth / 2 : room + plotWidth) : 0);
    const scale = (v) => (v / span) * plotWidth;
    const top = 4;
    const plotHeight = heights.reduce((a, b) => a + b, 0);
    const height = top + plotHeight + 40;
    const svg = s("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "sg-svg" });
    const differId = ctx.uid("differ");
    svg.append(s("defs", {}, s("pattern", { id: differId, width: 5, height: 5, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, s("line", { x1: 0, y1: 0, x2: 0, y2: 5, class: "sg-differ-line" }))));
    const tickValues = [...new Set([...(hasNegative ? ticks.map((v) => -v) : []), ...(hasPositive || !hasNegative ? ticks : [])])].sort((a, b) => a - b);
    for (const v of tickValues) {
      const px = zero + scale(v);
      svg.append(s("line", { class: "sg-grid", x1: px, x2: px, y1: top, y2: top + plotHeight }));
      svg.append(s("text", { class: "sg-tick", x: px, y: top + plotHeight + 15, "text-anchor": "middle" }, formatNumber(v, 1) + "%"));
    }
    svg.append(s("text", { class: "sg-axis-title", x: x1, y: top + plotHeight + 32, "text-anchor": "end" }, t("markets.axis")));
    let y = top;
    rows.forEach((row, index) => {
      const m = row.move;
      const cy = y + heights[index] / 2;
      const lines = wrapped[index];
      const block = lines.name.length * 15 + subLines(lines);
      svg.append(svgLines(lines.name, { class: "sg-label", x: x0 - 8, y: cy - block / 2 + 11, "text-anchor": "end" }, 15));
      if (lines.sub.length) svg.append(svgLines(lines.sub, { class: "sg-label sg-sub", x: x0 - 8, y: cy - block / 2 + 13 + lines.name.length * 15, "text-anchor": "end" }, 13));
      const w = scale(Math.abs(m.change_pct));
      const bx = m.change_pct >= 0 ? zero : zero - w;
      const bar = s("rect", { class: "sg-bar" + (differs.has(m.ticker) ? " sg-differs" : ""), x: bx, y: cy - 10, width: Math.max(w, 1), height: 20, style: `fill:${m.change_pct >= 0 ? POSITIVE : NEGATIVE}`, "data-id": m.id });
      attachTooltip(bar, [pick(m.name, lang), `${valueText(m)} · ${m.ticker}`, publisher(m), `${t("status.label")} ${t.term("status", m.status)}`]);
      svg.append(bar);
      if (differs.has(m.ticker)) svg.append(s("rect", { x: bx, y: cy - 10, width: Math.max(w, 1), height: 20, style: `fill:url(#${differId})`, "pointer-events": "none" }));
      svg.append(s("text", { class: "sg-value", x: m.change_pct >= 0 ? zero + w + 5 : zero - w - 5, y: cy + 4, "text-anchor": m.change_pct >= 0 ? "start" : "end" }, valueText(m)));
      y += heights[index];
    });
    svg.append(s("line", { class: "sg-axis", x1: zero, x2: zero, y1: top, y2: top + plotHeight }));
    return svg;
  }

  function draw() {
    for (const button of dayButtons) button.setAttribute("aria-pressed", String(button.dataset.day === day()));
    const moves = page.data.market_moves.filter((m) => m.date === day()).sort((a, b) => (a.instrument + a.ticker < b.instrument + b.ticker ? -1 : a.instrument + a.ticker > b.instrument + b.ticker ? 1 : a.change_pct - b.change_pct));
    const percent = moves.filter((m) => m.unit === "pct");
    frame.draw({
      svg: chart(frame.el.clientWidth || ctx.width, percent),
      columns: [
        { key: "date", label: t("column.date"), kind: "date" },
        { key: "security", label: t("column.security") },
        { key: "ticker", label: t("column.ticker") },
        { key: "change_pct", label: t("column.change_pct"), kind: "number", format: (v) => formatPercent(v, 2, true) },
        { key: "close", label: t("column.close"), kind: "number", format: (v) => (v === null || v === undefined ? "—" : formatNumber(v, 2)) },
        { key: "publisher", label: t("column.publisher") },
      ],
      rows: percent.map((m) => [m.date, pick(m.name, lang), m.ticker, m.change_pct, m.close ?? null, publisher(m)]),
      statuses: percent.map((m) => m.status),
      sources: percent.map((m) => m.sources),
    });
    const points = moves.filter((m) => m.unit === "pp");
    fill(yields, 
      ...(points.length
        ? [
            h("h3", {}, t("markets.yields")),
            h("ul", { class: "sg-list" }, ...points.map((m) => h("li", {}, `${pick(m.name, lang)}: `, nowrap(t("markets.pp", { change: formatNumber(m.change_pct, 3), close: formatNumber(m.close, 3) })), " ", badge(t, m.status), ` — ${publisher(m)}`))),
          ]
        : [])
    );
  }

  return viewOf(ctx, el, draw, (changed) => {
    if (changed.has("market_day")) draw();
  });
}
