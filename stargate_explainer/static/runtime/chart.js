// Every chart's frame and the drawing primitives the views share.
//
// A frame holds a chart with what readers can ask of it: the table of exactly the plotted rows,
// CSV/PNG/SVG downloads that carry the chart's title, source line, dataset date and (for the
// "what if" charts) the word "illustration", and a source line computed from the rows' sources.
// Charts are SVG drawn from measured text, so labels are placed before they are drawn and never
// overprint; colours come from CSS variables, so switching theme redraws nothing. To a screen
// reader a chart is a group named by its title, described by its subtitle and note, whose
// details are its table (aria-details); each mark with a tooltip is an image named by it.

import { h, s, save, csvText, textWidth, wrapText, svgLines, link, nowrap, idle } from "./dom.js";
import { formatDate } from "./i18n.js";
import { cited, leastCertain } from "./page.js";

const SOURCE_LINE_PUBLISHERS = 6;

// Rounded tick values from 0 to at least `max`, about `count` of them.
export function niceTicks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw);
  const ticks = [];
  for (let value = 0; value <= max + step * 0.999; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

// The frame of one chart. `spec`: key, title, subtitle, illustration (bool), note.
export function chartFrame(ctx, spec) {
  const { t } = ctx;
  const id = ctx.uid(`chart-${spec.key}`);
  const titleId = `${id}-title`;
  const tableId = `${id}-table`;
  const title = h("h3", { id: titleId, class: "sg-chart-title" }, spec.title);
  const caption = h(
    "figcaption",
    {},
    spec.illustration ? h("span", { class: "sg-illustration-tag" }, t("chart.illustration")) : null,
    title,
    spec.subtitle ? h("p", { class: "sg-chart-subtitle", id: `${id}-subtitle` }, spec.subtitle) : null
  );
  const described = [spec.subtitle ? `${id}-subtitle` : "", spec.note ? `${id}-note` : ""].filter(Boolean).join(" ");
  const plot = h("div", { class: "sg-plot", "data-revision": "0" });
  const tableBox = h("div", { class: "sg-chart-table sg-collapsed", id: tableId });
  const sourceLine = h("p", { class: "sg-source-line" });
  const sourceList = h("details", { class: "sg-source-list" });
  const toggle = h("button", { type: "button", class: "sg-tool", "aria-expanded": "false", "aria-controls": tableId, "data-action": "table" }, t("chart.table"));
  const buttons = ["csv", "png", "svg"].map((kind) =>
    h("button", { type: "button", class: "sg-tool", "data-action": kind, "aria-label": `${t(`chart.${kind}`)} — ${spec.title}` }, t(`chart.${kind}`))
  );
  const tools = h("div", { class: "sg-chart-tools", role: "group", "aria-label": t("chart.tools") }, toggle, ...buttons);
  const figure = h(
    "figure",
    { class: "sg-chart" + (spec.illustration ? " sg-illustration" : ""), "data-chart": spec.key, "aria-labelledby": titleId },
    caption,
    plot,
    spec.note ? h("p", { class: "sg-chart-note", id: `${id}-note` }, spec.note) : null,
    sourceLine,
    sourceList,
    tools,
    tableBox
  );
  let current = null;
  let revision = 0;

  const setTableOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    tableBox.classList.toggle("sg-collapsed", !open);
    for (const anchor of tableBox.querySelectorAll("a")) anchor.tabIndex = open ? 0 : -1;
  };
  toggle.addEventListener("click", () => setTableOpen(toggle.getAttribute("aria-expanded") !== "true"));
  buttons[0].addEventListener("click", () => current && save(`${fileName()}.csv`, new Blob([csv()], { type: "text/csv;charset=utf-8" })));
  buttons[1].addEventListener("click", () => current && exportImage("png"));
  buttons[2].addEventListener("click", () => current && exportImage("svg"));

  const fileName = () => `stargate-${spec.key}-${ctx.lang}${spec.illustration ? "-illustration" : ""}`;

  // The rows as plotted: raw numbers, status keys, source ids and their addresses.
  const csv = () => {
    const { columns, rows, statuses, sources } = current;
    const header = [...columns.map((c) => c.key), "status", "source_ids", "source_urls"];
    if (spec.illustration) header.push("illustration");
    const lines = rows.map((row, index) => {
      const ids = sources[index] || [];
      const line = [...row, statuses[index], ids, ids.map((sid) => (ctx.page.sources.get(sid) || {}).url || "")];
      if (spec.illustration) line.push(t("chart.illustration_csv"));
      return line;
    });
    return csvText(header, lines);
  };

  // "Source: OpenAI; Reuters; … and 40 more" — publishers of the plotted rows, originals and
  // the most cited first, then a warning when any value is less than confirmed and one when any
  // value rests on no original source.
  const sourceText = () => {
    const { page } = ctx;
    const counts = new Map();
    for (const row of current.sources) for (const sid of row || []) {
      const source = page.sources.get(sid);
      if (!source) continue;
      const entry = counts.get(source.publisher) || { n: 0, rank: page.kindRank(source) };
      entry.n += 1;
      entry.rank = Math.min(entry.rank, page.kindRank(source));
      counts.set(source.publisher, entry);
    }
    const publishers = [...counts].sort((a, b) => a[1].rank - b[1].rank || b[1].n - a[1].n).map(([name]) => name);
    const shown = publishers.slice(0, SOURCE_LINE_PUBLISHERS);
    const more = publishers.length - shown.length;
    let line = `${t("chart.source")}: ${shown.join("; ")}`;
    if (more > 0) line += ` ${t("chart.and_more", { n: more })}`;
    const worst = leastCertain(current.statuses);
    if (worst !== "confirmed") line += ` · ${t(`chart.warn_${worst}`)}`;
    const lacking = current.sources.filter((ids) => page.withoutOriginal(ids)).length;
    if (lacking) line += ` · ${t("chart.warn_no_original", { n: lacking })}`;
    return line;
  };

  const renderSources = () => {
    const ids = cited(current.sources);
    sourceLine.replaceChildren(sourceText());
    const worst = leastCertain(current.statuses);
    sourceLine.classList.toggle("sg-warn", worst !== "confirmed" || current.sources.some((row) => ctx.page.withoutOriginal(row)));
    sourceList.replaceChildren(
      h("summary", {}, t("chart.sources", { n: ids.length })),
      sourceItems(ctx, ids)
    );
  };

  const renderTable = () => {
    const { columns, rows, statuses, sources } = current;
    const table = h("table", { class: "sg-table" });
    table.append(h("caption", {}, `${spec.title}${spec.illustration ? ` (${t("chart.illustration")})` : ""} — ${t("chart.data_note")}`));
    const head = h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c.label)), h("th", { scope: "col" }, t("column.status")), h("th", { scope: "col" }, t("column.sources")));
    table.append(h("thead", {}, head));
    const body = h("tbody");
    rows.forEach((row, index) => {
      const cells = row.map((value, column) => {
        const kind = columns[column].kind;
        const text = columns[column].format ? columns[column].format(value) : value === null || value === undefined || value === "" ? "—" : String(value);
        return h("td", { class: kind === "number" ? "sg-number" : "" }, kind === "number" || kind === "date" ? nowrap(text) : text);
      });
      const sourceCell = h("td");
      originalsFirst(ctx.page, sources[index] || []).forEach((sid, position) => {
        const source = ctx.page.sources.get(sid);
        if (position) sourceCell.append("; ");
        sourceCell.append(source ? link(source.url, source.publisher, { title: source.title, tabindex: "-1" }) : sid);
      });
      const lacking = ctx.page.withoutOriginal(sources[index]);
      const statusCell = h("td", {}, t.term("status", statuses[index]), lacking ? [" · ", noOriginalTag(ctx, lacking)] : null);
      body.append(h("tr", lacking ? { class: "sg-no-original-row" } : {}, ...cells, statusCell, sourceCell));
    });
    table.append(body);
    tableBox.replaceChildren(table);
    setTableOpen(toggle.getAttribute("aria-expanded") === "true");
  };

  // A standalone picture of the chart: title above, source line, dataset date and (when it is
  // one) the word "illustration" below, with the page's computed colours written in.
  const standaloneSvg = () => {
    const svg = plot.querySelector("svg");
    const width = Number(svg.getAttribute("width"));
    const height = Number(svg.getAttribute("height"));
    const clone = svg.cloneNode(true);
    inlineStyles(svg, clone);
    const titleLines = wrapText(spec.title + (spec.illustration ? ` — ${t("chart.illustration")}` : ""), width - 16, 16, 700, 3);
    const footLines = [
      ...wrapText(sourceText(), width - 16, 12, 400, 4),
      ...wrapText(`${t("app.title")} · ${t("app.dataset_date")} ${formatDate(ctx.page.data.meta.updated, ctx.lang)}${spec.illustration ? ` · ${t("chart.illustration_note")}` : ""}`, width - 16, 12, 400, 3),
    ];
    const top = 12 + titleLines.length * 21;
    const bottom = 10 + footLines.length * 16;
    const styles = getComputedStyle(figure);
    const ink = styles.getPropertyValue("--sg-ink").trim() || "#1a1a1a";
    const background = styles.getPropertyValue("--sg-bg").trim() || "#ffffff";
    const out = s("svg", { xmlns: "http://www.w3.org/2000/svg", width, height: top + height + bottom, viewBox: `0 0 ${width} ${top + height + bottom}` });
    out.append(s("rect", { width, height: top + height + bottom, fill: background }));
    out.append(svgLines(titleLines, { x: 8, y: 22, "font-size": 16, "font-weight": 700, fill: ink, "font-family": "sans-serif" }, 21));
    const group = s("g", { transform: `translate(0 ${top})` });
    group.append(...clone.childNodes);
    out.append(group);
    out.append(svgLines(footLines, { x: 8, y: top + height + 18, "font-size": 12, fill: ink, "font-family": "sans-serif" }, 16));
    return out;
  };

  const exportImage = (kind) => {
    const svg = standaloneSvg();
    const text = new XMLSerializer().serializeToString(svg);
    if (kind === "svg") {
      save(`${fileName()}.svg`, new Blob([text], { type: "image/svg+xml" }));
      return;
    }
    const width = Number(svg.getAttribute("width"));
    const height = Number(svg.getAttribute("height"));
    const image = new Image();
    const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = width * 2;
      canvas.height = height * 2;
      const context = canvas.getContext("2d");
      context.scale(2, 2);
      context.drawImage(image, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => save(`${fileName()}.png`, blob), "image/png");
    };
    image.src = url;
  };

  return {
    el: figure,
    plot,
    id,
    // `content`: svg (the drawn chart), columns [{key, label, kind, format}], rows, statuses,
    // sources (a list of source ids per row).
    draw(content) {
      current = content;
      if (content.svg instanceof SVGElement) {
        content.svg.setAttribute("role", "group");
        content.svg.setAttribute("aria-roledescription", t("chart.role"));
        content.svg.setAttribute("aria-labelledby", titleId);
        if (described) content.svg.setAttribute("aria-describedby", described);
        content.svg.setAttribute("aria-details", tableId);
      }
      plot.replaceChildren(content.svg);
      plot.setAttribute("data-revision", String(++revision));
      // Sources and table after the chart has painted: the chart is the reader's feedback.
      const after = () => {
        if (current !== content) return;
        renderSources();
        renderTable();
      };
      // Sources and table when the page is idle: they never delay the chart or the next input.
      idle(after, 400);
    },
    // The drawing changed in place (a new selection): readers of data-revision see it.
    touch() {
      plot.setAttribute("data-revision", String(++revision));
    },
  };
}

const STYLE_PROPERTIES = ["fill", "stroke", "stroke-width", "stroke-dasharray", "opacity", "font-size", "font-weight", "font-family", "fill-opacity", "stroke-opacity"];

function inlineStyles(source, target) {
  const sources = [source, ...source.querySelectorAll("*")];
  const targets = [target, ...target.querySelectorAll("*")];
  sources.forEach((element, index) => {
    const computed = getComputedStyle(element);
    const declarations = STYLE_PROPERTIES.map((p) => `${p}:${computed.getPropertyValue(p)}`).join(";");
    targets[index].setAttribute("style", declarations);
    targets[index].removeAttribute("class");
  });
}

// A list's sources in reading order: originals first, in the order of the kinds, each labelled
// copy straight after its original when both are listed; the rest keep the list's order.
export function originalsFirst(page, ids) {
  const known = ids.filter((sid) => page.sources.has(sid));
  const present = new Set(known);
  const follows = (source) => present.has(source.archived_copy_of);
  const leads = known.filter((sid) => !follows(page.sources.get(sid)));
  leads.sort((a, b) => page.kindRank(page.sources.get(a)) - page.kindRank(page.sources.get(b)));
  const out = [];
  for (const sid of leads) {
    out.push(sid);
    for (const copy of known) if (page.sources.get(copy).archived_copy_of === sid) out.push(copy);
  }
  return [...out, ...ids.filter((sid) => !page.sources.has(sid))];
}

// "no original source", with the reason the data gives (`withoutOriginal`'s answer) on hover.
export function noOriginalTag(ctx, lacking) {
  const reason = lacking.reason ? lacking.reason[ctx.lang] : ctx.t("sources.no_original_help");
  return h("span", { class: "sg-no-original-tag", title: reason }, ctx.t("chart.no_original"));
}

// The tag beside a fact's status badge when its sources hold no original; else nothing.
export function originalTag(ctx, ids) {
  const lacking = ctx.page.withoutOriginal(ids);
  return lacking ? [" ", noOriginalTag(ctx, lacking)] : null;
}

// A list of sources with links: title, publisher, date and kind, originals first; a labelled
// copy names its original, and a list with no original says so, with the reason, above it.
export function sourceItems(ctx, ids) {
  const { page, t, lang } = ctx;
  const list = h("ol", { class: "sg-sources" });
  for (const sid of originalsFirst(page, ids || [])) {
    const source = page.sources.get(sid);
    if (!source) continue;
    const original = source.archived_copy_of ? page.sources.get(source.archived_copy_of) : null;
    list.append(
      h(
        "li",
        { class: source.original ? "sg-source-original" : "sg-source-other" },
        link(source.url, source.title),
        " — ",
        source.publisher,
        source.date_published ? [", ", nowrap(formatDate(source.date_published, lang))] : null,
        h("span", { class: `sg-kind sg-kind-${source.kind}` }, ` · ${t.term("source_kind", source.kind)}`),
        original ? h("span", { class: "sg-copy-of" }, ` (${t("sources.copy_of", { title: original.title })})`) : null
      )
    );
  }
  const lacking = page.withoutOriginal(ids);
  if (!lacking) return list;
  const note = h(
    "p",
    { class: "sg-no-original" },
    h("strong", {}, t("sources.no_original")),
    ": ",
    lacking.reason ? lacking.reason[lang] : t("sources.no_original_help")
  );
  const box = document.createDocumentFragment();
  box.append(note, list);
  return box;
}

// --- primitives -----------------------------------------------------------------------------
const LABEL_SIZE = 13;
const VALUE_SIZE = 12;

function axis(group, { x0, x1, y, ticks, scale, format, title, height, right }) {
  for (const tick of ticks) {
    const x = x0 + scale(tick);
    group.append(s("line", { class: "sg-grid", x1: x, x2: x, y1: y - height, y2: y }));
    // A label that would pass the chart's right edge ends at the edge instead, and one that
    // would pass the left edge (a plot that starts at the edge, on a phone) starts there.
    const label = format(tick);
    const half = textWidth(label, 12) / 2;
    const edge = right ?? x1 + 8;
    const [tx, anchor] = x + half > edge ? [edge, "end"] : x - half < 2 ? [2, "start"] : [x, "middle"];
    group.append(s("text", { class: "sg-tick", x: tx, y: y + 15, "text-anchor": anchor }, label));
  }
  if (title) group.append(s("text", { class: "sg-axis-title", x: right ?? x1, y: y + 32, "text-anchor": "end" }, title));
  group.append(s("line", { class: "sg-axis", x1: x0, x2: x1, y1: y, y2: y }));
}

// Horizontal bars, one per row ({label, value, colour, hatch, valueText, id, tooltip}), with the
// value written at the bar's end (inside when it fits, else just outside).
export function barChart({ width, rows, unit, uid }) {
  const hatch = uid("hatch");
  const labelMax = Math.min(width * 0.38, Math.max(...rows.map((r) => textWidth(r.label, LABEL_SIZE)), 40) + 8);
  const wrapped = rows.map((r) => wrapText(r.label, labelMax - 8, LABEL_SIZE, 400, 3));
  const rowHeights = wrapped.map((lines) => Math.max(30, lines.length * 16 + 12));
  const x0 = labelMax;
  const largest = Math.max(...rows.map((r) => r.value), 0);
  const ticks = niceTicks(largest / unit.divisor, width < 500 ? 3 : 5).map((v) => v * unit.divisor);
  const domain = ticks[ticks.length - 1] || 1;
  const valueWidths = rows.map((r) => textWidth(r.valueText, VALUE_SIZE, 600));
  // The widest plot that leaves room, past the end of each bar whose value does not fit inside
  // it, for that value: found by bisection, since a wider plot lets more values fit inside.
  const fitsAt = (right) =>
    rows.every((r, i) => {
      const bar = ((right - x0) * Math.max(0, r.value)) / domain;
      return (bar > valueWidths[i] + 12 && !r.hatch) || x0 + bar + 6 + valueWidths[i] <= width - 2;
    });
  let lo = x0 + 40;
  let hi = width - 4;
  for (let step = 0; step < 20 && !fitsAt(hi); step++) {
    const mid = (lo + hi) / 2;
    if (fitsAt(mid)) lo = mid;
    else hi = mid;
  }
  const x1 = fitsAt(hi) ? hi : lo;
  const top = 6;
  const plotHeight = rowHeights.reduce((a, b) => a + b, 0);
  const scale = (value) => ((x1 - x0) * Math.max(0, value)) / domain;
  const height = top + plotHeight + 44;
  const svg = s("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "sg-svg" });
  const grid = s("g");
  svg.append(grid);
  axis(grid, { x0, x1, y: top + plotHeight, ticks, scale, format: unit.tick, title: unit.title, height: plotHeight, right: width - 2 });
  let y = top;
  rows.forEach((row, index) => {
    const barHeight = Math.min(22, rowHeights[index] - 10);
    const cy = y + rowHeights[index] / 2;
    const lines = wrapped[index];
    svg.append(svgLines(lines, { class: "sg-label", x: x0 - 8, y: cy - ((lines.length - 1) * 16) / 2 + 4, "text-anchor": "end" }, 16));
    const barWidth = scale(row.value);
    const bar = s("rect", {
      class: "sg-bar" + (row.hatch ? " sg-hatch" : ""),
      x: x0,
      y: cy - barHeight / 2,
      width: Math.max(barWidth, row.value > 0 ? 1 : 0),
      height: barHeight,
      style: `fill:${row.hatch ? `url(#${hatch})` : row.colour}`,
      "data-id": row.id || "",
    });
    if (row.tooltip) attachTooltip(bar, row.tooltip);
    svg.append(bar);
    const inside = barWidth > valueWidths[index] + 12 && !row.hatch;
    svg.append(
      s("text", { class: "sg-value" + (inside ? " sg-value-inside" : ""), x: inside ? x0 + barWidth - 6 : x0 + barWidth + 6, y: cy + 4, "text-anchor": inside ? "end" : "start", style: inside ? `fill:${inkOn(row.colour)}` : null }, row.valueText)
    );
    y += rowHeights[index];
  });
  svg.prepend(hatchPattern(hatch));
  return svg;
}

// One stacked bar per row ({label, segments: [{value, colour, hatch, label, tooltip}]}), each
// segment labelled inside when its text fits, else in a key below the bar; optional markers
// ({value, label}) drawn as ticks across the bars.
export function stackedBars({ width, rows, unit, markers = [], total, uid }) {
  const hatch = uid("hatch");
  const labelMax = Math.min(width * 0.3, Math.max(...rows.map((r) => textWidth(r.label, LABEL_SIZE, 600)), 40) + 10);
  const narrow = width < 560;
  const x0 = narrow ? 4 : labelMax;
  const x1 = width - 8;
  const largest = total ?? Math.max(...rows.map((r) => r.segments.reduce((a, b) => a + b.value, 0)));
  const ticks = niceTicks(largest / unit.divisor, narrow ? 3 : 5).map((v) => v * unit.divisor);
  const domain = Math.max(ticks[ticks.length - 1], largest);
  const scale = (value) => ((x1 - x0) * value) / domain;
  const svg = s("svg", { class: "sg-svg" });
  svg.append(hatchPattern(hatch));
  // Marker labels above the bars, each on the first line where it overlaps no other.
  const markerLines = [];
  const placedMarkers = markers.map((marker) => {
    const mx = x0 + scale(marker.value);
    const tw = textWidth(marker.label, VALUE_SIZE, 600);
    const end = mx + tw + 4 > x1;
    const lo = end ? mx - 4 - tw : mx + 4;
    let line = 0;
    while ((markerLines[line] || []).some(([a, b]) => lo < b + 8 && lo + tw > a - 8)) line++;
    (markerLines[line] = markerLines[line] || []).push([lo, lo + tw]);
    return { ...marker, mx, end, line };
  });
  let y = 8;
  const markerRoom = markerLines.length * 16 + (markers.length ? 12 : 0);
  y += markerRoom;
  const barsTop = y;
  const barSpans = [];
  for (const row of rows) {
    if (narrow) {
      svg.append(s("text", { class: "sg-label sg-strong", x: x0, y: y + 12 }, row.label));
      y += 18;
    } else {
      svg.append(s("text", { class: "sg-label sg-strong", x: x0 - 8, y: y + 21, "text-anchor": "end" }, row.label));
    }
    let x = x0;
    const outside = [];
    for (const segment of row.segments) {
      const w = scale(segment.value);
      const rect = s("rect", {
        class: "sg-bar" + (segment.hatch ? " sg-hatch" : ""),
        x,
        y,
        width: Math.max(w, 0),
        height: 32,
        style: `fill:${segment.hatch ? `url(#${hatch})` : segment.colour}`,
      });
      if (segment.tooltip) attachTooltip(rect, segment.tooltip);
      svg.append(rect);
      const text = segment.label;
      const tw = textWidth(text, VALUE_SIZE, 600);
      if (text && tw + 10 < w) {
        svg.append(s("text", { class: "sg-value sg-value-inside" + (segment.hatch ? " sg-on-hatch" : ""), x: x + w / 2, y: y + 20, "text-anchor": "middle", style: segment.hatch ? null : `fill:${inkOn(segment.colour)}` }, text));
      } else if (text) {
        outside.push({ x: x + w / 2, text, colour: segment.colour, hatch: segment.hatch });
      }
      x += w;
    }
    barSpans.push([y, y + 32]);
    y += 32;
    if (outside.length) {
      // Segments too narrow for their label get a key below the bar, laid out left to right
      // and wrapped, each with a swatch of the segment's colour.
      let kx = x0;
      let ky = y + 16;
      for (const item of outside) {
        const w = textWidth(item.text, VALUE_SIZE, 600) + 22;
        if (kx + w > x1 && kx > x0) {
          kx = x0;
          ky += 18;
        }
        svg.append(s("rect", { x: kx, y: ky - 10, width: 12, height: 12, style: `fill:${item.hatch ? `url(#${hatch})` : item.colour}`, class: "sg-swatch" + (item.hatch ? " sg-hatch" : "") }));
        svg.append(s("text", { class: "sg-value", x: kx + 16, y: ky }, item.text));
        kx += w + 10;
      }
      y = ky + 8;
    }
    y += 14;
  }
  const barsBottom = y - 6;
  for (const marker of placedMarkers) {
    const labelY = barsTop - 12 - (markerLines.length - 1 - marker.line) * 16;
    // The marker crosses the bars, never the keys between them.
    svg.append(s("line", { class: "sg-marker", x1: marker.mx, x2: marker.mx, y1: labelY + 4, y2: barSpans[0][0] }));
    for (const [top, bottom] of barSpans) svg.append(s("line", { class: "sg-marker", x1: marker.mx, x2: marker.mx, y1: top - 3, y2: bottom + 3 }));
    svg.append(s("text", { class: "sg-marker-label", x: marker.end ? marker.mx - 4 : marker.mx + 4, y: labelY, "text-anchor": marker.end ? "end" : "start" }, marker.label));
  }
  const grid = s("g");
  axis(grid, { x0, x1, y: barsBottom + 4, ticks, scale, format: unit.tick, title: unit.title, height: 0, right: width - 2 });
  svg.append(grid);
  const height = barsBottom + 44;
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  return svg;
}

// Stacked columns ({label, segments: [{value, colour, tooltip}]}) with a legend above.
export function columnChart({ width, columns, unit, legend }) {
  const svg = s("svg", { class: "sg-svg" });
  let y = 6;
  // Legend: swatches and names, wrapped to the width.
  let lx = 4;
  for (const item of legend) {
    const w = textWidth(item.label, LABEL_SIZE) + 24;
    if (lx + w > width && lx > 4) {
      lx = 4;
      y += 20;
    }
    svg.append(s("rect", { x: lx, y: y + 2, width: 12, height: 12, style: `fill:${item.colour}`, class: "sg-swatch" }));
    svg.append(s("text", { class: "sg-label", x: lx + 17, y: y + 13 }, item.label));
    lx += w + 8;
  }
  y += 30;
  const totals = columns.map((c) => c.segments.reduce((a, b) => a + b.value, 0));
  const largest = Math.max(...totals, 0);
  const ticks = niceTicks(largest / unit.divisor, 4).map((v) => v * unit.divisor);
  const domain = ticks[ticks.length - 1] || 1;
  const tickWidth = Math.max(...ticks.map((v) => textWidth(unit.tick(v), 12))) + 8;
  const x0 = tickWidth;
  const x1 = width - 4;
  const plotHeight = 190;
  // Room between the unit's title (at the top left) and the top tick's label.
  const yBottom = y + plotHeight + 22;
  const scale = (value) => (plotHeight * value) / domain;
  for (const tick of ticks) {
    const ty = yBottom - scale(tick);
    svg.append(s("line", { class: "sg-grid", x1: x0, x2: x1, y1: ty, y2: ty }));
    svg.append(s("text", { class: "sg-tick", x: x0 - 6, y: ty + 4, "text-anchor": "end" }, unit.tick(tick)));
  }
  svg.append(s("text", { class: "sg-axis-title", x: 4, y: y + 6 }, unit.title));
  const slot = (x1 - x0) / columns.length;
  const barWidth = Math.min(64, slot * 0.6);
  columns.forEach((column, index) => {
    const cx = x0 + slot * (index + 0.5);
    let top = yBottom;
    for (const segment of column.segments) {
      const hgt = scale(segment.value);
      const rect = s("rect", { class: "sg-bar", x: cx - barWidth / 2, y: top - hgt, width: barWidth, height: Math.max(hgt, 0), style: `fill:${segment.colour}` });
      if (segment.tooltip) attachTooltip(rect, segment.tooltip);
      svg.append(rect);
      top -= hgt;
    }
    svg.append(s("text", { class: "sg-value", x: cx, y: top - 6, "text-anchor": "middle" }, column.totalText));
    svg.append(s("text", { class: "sg-tick", x: cx, y: yBottom + 16, "text-anchor": "middle" }, column.label));
  });
  svg.append(s("line", { class: "sg-axis", x1: x0, x2: x1, y1: yBottom, y2: yBottom }));
  const height = yBottom + 26;
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  return svg;
}

// The "not disclosed" hatching, defined in each chart that uses it under an id of its own (an
// SVG fill finds its pattern by id in the whole document, hidden views and other drawings too).
function hatchPattern(id) {
  return s(
    "defs",
    {},
    s("pattern", { id, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
      s("rect", { width: 6, height: 6, class: "sg-hatch-bg" }),
      s("line", { x1: 0, y1: 0, x2: 0, y2: 6, class: "sg-hatch-line" }))
  );
}

// A tooltip for `element`: hover and keyboard focus show the same lines. The drawing's shell
// listens once on its root for every element that has lines (a timeline has hundreds of points).
// `focusable: false` for a target the keyboard reaches another way (an org chart edge: through
// the boxes at its ends). Its lines are its accessible name, so an element without a role of its
// own (a bar, a line) becomes an image, a role that may carry one.
export function attachTooltip(element, lines, { focusable = true } = {}) {
  element.sgTip = lines;
  if (focusable) element.setAttribute("tabindex", "0");
  if (!element.hasAttribute("role")) element.setAttribute("role", "img");
  element.setAttribute("aria-label", lines.join(" — "));
}

// The text colour, black or white, that reads best on a mark of `colour` (a hex colour, or one
// of the theme's greys, whose ink the theme gives): WCAG's contrast ratio, the higher wins.
export function inkOn(colour) {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (!hex) return "var(--sg-on-grey)";
  const channel = (i) => {
    const c = parseInt(hex[1].slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? "#ffffff" : "#000000";
}
