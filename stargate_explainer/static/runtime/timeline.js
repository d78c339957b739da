// The annotated timeline: lanes of events over time, the 2024 five-phase plan drawn as a band,
// the announcement and today marked, 8–12 key milestones labelled on the chart (never
// overlapping: they take the first free level above the lanes, or become numbers with a key
// when even that fails), plans paired with their outcomes, and the picked event highlighted
// and listed with its sources. Opens on 2024–2026; the full range is one button away.

import { fill, h, idle, nowrap, s, setRange, svgLines, textWidth, wrapText } from "./dom.js";
import { formatDate, formatMonth, pick } from "./i18n.js";
import { chartFrame, attachTooltip, originalTag, sourceItems } from "./chart.js";
import { badge, viewHeader, viewOf } from "./common.js";

export const LANE_COLOURS = {
  plan: "#0072B2",
  deal: "#009E73",
  site: "#E69F00",
  financing: "#56B4E9",
  market: "#CC79A7",
  policy: "#7a7a7a",
  dispute: "#D55E00",
};
const OPEN_FROM = "2024-01";
const OPEN_TO = "2026-12";
const LABEL_SIZE = 12;
const LANE_HEIGHT = 34;
const LEVEL_HEIGHT = 34;

function monthIndex(month) {
  const [y, m] = month.split("-").map(Number);
  return y * 12 + (m - 1);
}

function monthOf(index) {
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${y}-${String(m).padStart(2, "0")}`;
}

// Day position of an ISO date, in months (fractional), so coarse dates sit at their period's
// first day like the data stores them.
function position(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return y * 12 + (m - 1) + (d - 1) / 31;
}

export function windowFor(page, state) {
  const first = page.firstMonth;
  const last = page.lastMonth;
  const clamp = (month) => (month < first ? first : month > last ? last : month);
  let from = state.date_from || clamp(OPEN_FROM);
  let to = state.date_to || clamp(OPEN_TO);
  if (from > to) [from, to] = [first, last];
  return { from, to };
}

export function createTimelineView(ctx) {
  const { t, page, lang } = ctx;
  const el = h("section", { class: "sg-view sg-view-timeline", "data-view": "timeline" });
  el.append(viewHeader(ctx, "timeline"));
  const title = (e) => pick(e.title, lang);

  // --- controls ----------------------------------------------------------------------------
  const rangeButtons = [
    ["open", t("timeline.range_open")],
    ["all", t("timeline.range_all")],
  ].map(([key, label]) =>
    h("button", { type: "button", class: "sg-chip", "data-range": key, "aria-pressed": "false", onclick: () => ctx.set(key === "all" ? { date_from: page.firstMonth, date_to: page.lastMonth } : { date_from: "", date_to: "" }) }, label)
  );
  const months = [];
  for (let i = monthIndex(page.firstMonth); i <= monthIndex(page.lastMonth); i++) months.push(monthOf(i));
  const fromInput = h("input", { type: "range", min: 0, max: months.length - 1, step: 1, id: ctx.uid("from"), "data-control": "date_from", "aria-label": t("timeline.from") });
  const toInput = h("input", { type: "range", min: 0, max: months.length - 1, step: 1, id: ctx.uid("to"), "data-control": "date_to", "aria-label": t("timeline.to") });
  const rangeText = h("output", { class: "sg-range-text sg-nw" });
  fromInput.addEventListener("input", () => {
    const from = Math.min(Number(fromInput.value), Number(toInput.value));
    ctx.set({ date_from: months[from], date_to: windowFor(page, ctx.state).to });
  });
  toInput.addEventListener("input", () => {
    const to = Math.max(Number(toInput.value), Number(fromInput.value));
    ctx.set({ date_from: windowFor(page, ctx.state).from, date_to: months[to] });
  });
  const laneBoxes = page.lanes.map((lane) => {
    const input = h("input", { type: "checkbox", "data-lane": lane, "data-control": "lane" });
    input.addEventListener("change", () => {
      const visible = page.lanes.filter((l) => (l === lane ? input.checked : visibleLanes().includes(l)));
      ctx.set({ lanes: visible });
    });
    return h("label", { class: "sg-lane-toggle" }, input, h("span", { class: "sg-swatch sg-round", style: `background:${LANE_COLOURS[lane]}` }), t.term("lane", lane));
  });
  el.append(
    h(
      "div",
      { class: "sg-controls sg-timeline-controls" },
      h("div", { class: "sg-control" }, h("span", { class: "sg-control-label" }, t("timeline.range")), ...rangeButtons),
      h("div", { class: "sg-control sg-dual-range" }, h("label", { for: fromInput.id }, t("timeline.from_short")), fromInput, h("label", { for: toInput.id }, t("timeline.to_short")), toInput, rangeText),
      h("fieldset", { class: "sg-lanes" }, h("legend", {}, t("timeline.lanes")), ...laneBoxes)
    )
  );
  const frame = chartFrame(ctx, { key: "timeline", title: t("timeline.chart_title"), subtitle: t("timeline.chart_subtitle") });
  el.append(frame.el);
  const milestoneKey = h("ol", { class: "sg-milestone-key", hidden: true });
  frame.el.insertBefore(milestoneKey, frame.plot.nextSibling);
  const details = h("div", { class: "sg-panel sg-event-details", "data-panel": "event-details" });
  const search = h("input", { type: "search", id: ctx.uid("event-search"), "data-control": "event-search", placeholder: t("timeline.search_placeholder"), autocomplete: "off" });
  const count = h("p", { class: "sg-count" });
  const listBox = h("ul", { class: "sg-event-list", "data-panel": "event-list" });
  // The list redrawn for the reader's filter, and how many events it holds said aloud.
  const listAndCount = () => {
    drawList();
    ctx.announce(count.textContent);
  };
  search.addEventListener("input", listAndCount);
  el.append(
    h("div", { class: "sg-timeline-below" }, details, h("div", { class: "sg-event-finder" }, h("label", { for: search.id }, t("timeline.search")), search, count, listBox))
  );

  function visibleLanes() {
    return ctx.state.lanes || page.lanes;
  }

  function visibleEvents() {
    const { from, to } = windowFor(page, ctx.state);
    const lanes = visibleLanes();
    return page.eventsByDate.filter((e) => lanes.includes(e.lane) && e.date.slice(0, 7) >= from && e.date.slice(0, 7) <= to);
  }

  function select(id) {
    ctx.set({ event: id === ctx.state.event ? "" : id });
  }

  function outcomeText(e) {
    if (!e.planned) return "";
    if (!e.outcome) return t("timeline.outcome_open");
    const checked = e.outcome === "unknown" && e.outcome_checked ? ` (${t("timeline.checked", { date: formatDate(e.outcome_checked, lang) })})` : "";
    return `${t("timeline.outcome")}: ${t.term("outcome", e.outcome)}${checked}`;
  }

  function drawControls() {
    const { from, to } = windowFor(page, ctx.state);
    setRange(fromInput, months.indexOf(from));
    setRange(toInput, months.indexOf(to));
    fromInput.setAttribute("aria-valuetext", formatMonth(from, lang));
    toInput.setAttribute("aria-valuetext", formatMonth(to, lang));
    rangeText.textContent = `${formatMonth(from, lang)} – ${formatMonth(to, lang)}`;
    const all = from === page.firstMonth && to === page.lastMonth;
    const open = !ctx.state.date_from && !ctx.state.date_to;
    rangeButtons[0].setAttribute("aria-pressed", String(open));
    rangeButtons[1].setAttribute("aria-pressed", String(all));
    const lanes = visibleLanes();
    for (const label of laneBoxes) {
      const input = label.querySelector("input");
      input.checked = lanes.includes(input.dataset.lane);
    }
  }

  function chart(width) {
    const events = visibleEvents();
    const { from, to } = windowFor(page, ctx.state);
    const lanes = visibleLanes();
    const narrow = width < 600;
    const laneLabelWidth = Math.max(...lanes.map((lane) => textWidth(t.term("lane", lane), LABEL_SIZE, 600)), 40) + 14;
    const x0 = narrow ? 8 : laneLabelWidth;
    const x1 = width - 12;
    const start = monthIndex(from);
    const end = monthIndex(to) + 1;
    const x = (iso) => x0 + ((position(iso) - start) / (end - start)) * (x1 - x0);
    const inRange = (iso) => iso.slice(0, 7) >= from && iso.slice(0, 7) <= to;

    // Milestone labels: each takes the lowest level above the lanes where it overlaps nothing.
    const milestones = events.filter((e) => e.milestone);
    const markers = [];
    // The announcement's line is labelled unless its event already is, as a milestone.
    if (inRange(page.announcement.date)) markers.push({ iso: page.announcement.date, label: page.announcement.milestone ? "" : t("timeline.announced"), kind: "announcement" });
    const today = new Date().toISOString().slice(0, 10);
    if (today.slice(0, 7) >= from && today.slice(0, 7) <= to) markers.push({ iso: today, label: t("timeline.today"), kind: "today" });
    const maxLabel = narrow ? 104 : 170;
    // A label takes the lowest free level: its box overlaps no other label at that level, no
    // leader line coming down from a higher label crosses it, and its own leader line, going
    // down to its point, crosses no label below it.
    let placedItems = [];
    let numbered = false;
    const placed = [];
    const fits = (level, item, strict) =>
      placedItems.every((other) => {
        if (other.level === level) return item.hi + 8 <= other.lo || item.lo >= other.hi + 8;
        if (!strict) return true;
        if (other.level > level) return other.px < item.lo - 4 || other.px > item.hi + 4;
        return item.px < other.lo - 4 || item.px > other.hi + 4;
      });
    // Where no level keeps every leader line clear (points days apart), a leader may pass
    // behind a label: labels are drawn over a halo of the background, so it stays legible.
    const place = (item, maxLevels) => {
      for (const strict of [true, false]) {
        for (let level = 0; level < maxLevels; level++) {
          if (fits(level, item, strict)) {
            item.level = level;
            placedItems.push(item);
            return true;
          }
        }
      }
      return false;
    };
    const boxFor = (px, lines, size, weight) => {
      const w = Math.max(...lines.map((l) => textWidth(l, size, weight)));
      let lo = px - w / 2;
      lo = Math.max(x0, Math.min(lo, x1 - w));
      return { lo, hi: lo + w, w };
    };
    // Markers first (announcement, today): they label lines, not points.
    const unlabelled = [];
    for (const marker of markers) {
      const px = x(marker.iso);
      if (!marker.label) {
        unlabelled.push({ ...marker, px });
        continue;
      }
      const lines = [marker.label];
      const box = boxFor(px, lines, LABEL_SIZE, 700);
      const item = { ...marker, px, lines, ...box, marker: true };
      if (place(item, 6)) placed.push(item);
    }
    const labelItems = milestones.map((e, i) => {
      const px = x(e.date);
      const lines = wrapText(title(e), maxLabel, LABEL_SIZE, 600, 2);
      return { event: e, px, lines, number: i + 1, ...boxFor(px, lines, LABEL_SIZE, 600) };
    });
    const markersOnly = [...placedItems];
    for (const item of labelItems) {
      if (!place(item, narrow ? 4 : 6)) {
        numbered = true;
        break;
      }
    }
    if (numbered) {
      // Back to the markers alone, then numbers in circles, which always find room.
      placedItems = [...markersOnly];
      for (const item of labelItems) {
        item.level = undefined;
        item.lines = [String(item.number)];
        const w = 18;
        item.lo = Math.max(x0, Math.min(item.px - w / 2, x1 - w));
        item.hi = item.lo + w;
        place(item, 20);
      }
    }
    const allLabels = [...placed, ...labelItems];
    const levelCount = Math.max(0, ...allLabels.map((l) => (l.level ?? 0) + 1));
    const bandTop = 20; // room above the first line of the highest label
    const levelY = (level) => bandTop + (levelCount - 1 - level) * LEVEL_HEIGHT;
    const series = page.data.events.filter((e) => e.series).sort((a, b) => (a.date < b.date ? -1 : 1));
    const seriesVisible = series.length && series.some((e) => e.date.slice(0, 7) <= to) && lanes.includes(series[0].lane);
    const seriesTop = bandTop + levelCount * LEVEL_HEIGHT + 4;
    const seriesHeight = seriesVisible ? 44 : 0;
    const lanesTop = seriesTop + seriesHeight;
    const laneY = (lane) => lanesTop + lanes.indexOf(lane) * LANE_HEIGHT + LANE_HEIGHT / 2;
    const lanesBottom = lanesTop + lanes.length * LANE_HEIGHT;
    const height = lanesBottom + 34;
    const svg = s("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "sg-svg sg-timeline-svg" });
    const clipId = ctx.uid("clip");
    svg.append(s("defs", {}, s("clipPath", { id: clipId }, s("rect", { x: x0 - 8, y: 0, width: x1 - x0 + 16, height }))));

    // Years (and months when the window is short) along the bottom.
    const years = [];
    for (let y = Math.ceil(start / 12); y * 12 <= end; y++) years.push(y);
    const showMonths = end - start <= 18;
    const grid = s("g", { class: "sg-timeline-grid" });
    for (const year of years) {
      const px = x0 + ((year * 12 - start) / (end - start)) * (x1 - x0);
      grid.append(s("line", { class: "sg-grid sg-year", x1: px, x2: px, y1: lanesTop - 4, y2: lanesBottom }));
      const label = lang === "ja" ? `${year}年` : String(year);
      const tw = textWidth(label, 12, 600);
      // A year at either edge is written inward, so it is never cut.
      const anchor = px - tw / 2 < x0 - 6 ? "start" : px + tw / 2 > x1 + 6 ? "end" : "middle";
      grid.append(s("text", { class: "sg-tick sg-strong", x: px, y: lanesBottom + 16, "text-anchor": anchor }, label));
    }
    if (showMonths) {
      for (let m = start; m < end; m++) {
        if (m % 12 === 0) continue;
        const px = x0 + ((m - start) / (end - start)) * (x1 - x0);
        grid.append(s("line", { class: "sg-grid sg-month", x1: px, x2: px, y1: lanesBottom - 4, y2: lanesBottom }));
      }
    }
    svg.append(grid);
    // Lanes.
    lanes.forEach((lane, index) => {
      const y = lanesTop + index * LANE_HEIGHT;
      svg.append(s("rect", { class: "sg-lane-band" + (index % 2 ? " sg-odd" : ""), x: 0, y, width, height: LANE_HEIGHT }));
      if (narrow) svg.append(s("text", { class: "sg-lane-label sg-lane-label-narrow", x: 4, y: y + 11 }, t.term("lane", lane)));
      else svg.append(s("text", { class: "sg-lane-label", x: 4, y: y + LANE_HEIGHT / 2 + 4 }, t.term("lane", lane)));
    });
    svg.append(s("line", { class: "sg-axis", x1: x0, x2: x1, y1: lanesBottom, y2: lanesBottom }));

    // The five-phase plan as a band of segments, each from one step to the next.
    let seriesTitle = null;
    if (seriesVisible) {
      const band = s("g", { class: "sg-series", "clip-path": `url(#${clipId})` });
      const steps = stepLabels(series.map(title));
      const y = seriesTop + 18;
      // The band's title is appended last (below), over a halo, so that the leader lines and the
      // announcement's marker that pass through it do not strike it through.
      seriesTitle = s("text", { class: "sg-series-title", x: x0, y: seriesTop + 10 }, t("timeline.series_title"));
      series.forEach((e, i) => {
        const a = Math.max(x(e.date), x0);
        const next = series[i + 1];
        const b = Math.min(next ? x(next.date) : x(e.date) + 30, x1);
        if (b <= x0 || a >= x1) return;
        const rect = s("rect", { class: "sg-series-step" + (e.planned ? " sg-planned" : ""), x: a, y, width: Math.max(2, b - a - 2), height: 16, rx: 3, "data-event": e.id, role: "button" });
        attachTooltip(rect, [title(e), formatDate(e.date, lang, e.date_precision), outcomeText(e)].filter(Boolean));
        pressable(rect, () => select(e.id));
        band.append(rect);
        const room = b - a - 8;
        const label = wrapText(steps[i], Math.max(room, 1), 11, 600, 1)[0];
        if (room > 24 && label !== "…") band.append(s("text", { class: "sg-series-label" + (e.planned ? " sg-on-light" : ""), x: a + 4, y: y + 12 }, label));
      });
      svg.append(band);
    }

    // Announcement and today as lines with their labels in the band above.
    for (const item of unlabelled) {
      svg.append(s("line", { class: `sg-marker sg-marker-${item.kind}`, x1: item.px, x2: item.px, y1: seriesTop, y2: lanesBottom }));
    }
    for (const item of placed) {
      const y = levelY(item.level);
      svg.append(s("line", { class: `sg-marker sg-marker-${item.kind}`, x1: item.px, x2: item.px, y1: y + 6, y2: lanesBottom }));
      svg.append(s("text", { class: `sg-marker-label sg-marker-${item.kind}`, x: item.lo, y: y + 2 }, item.lines[0]));
    }

    // Plans joined to their outcomes.
    const shownIds = new Set(events.map((e) => e.id));
    for (const e of events) {
      if (!e.outcome_event_id || !shownIds.has(e.outcome_event_id)) continue;
      const o = page.events.get(e.outcome_event_id);
      const ax = x(e.date);
      const ay = laneY(e.lane);
      const bx = x(o.date);
      const by = laneY(o.lane);
      const mid = Math.min(ay, by) - 14;
      svg.append(s("path", { class: "sg-outcome-link", d: `M${ax},${ay} C${ax},${mid} ${bx},${mid} ${bx},${by}`, "data-plan": e.id, "data-outcome": o.id }));
    }

    // Events.
    const selected = ctx.state.event;
    const points = s("g", { class: "sg-points", "clip-path": `url(#${clipId})` });
    const pointAt = new Map();
    const glyphBoxes = [];
    for (const e of events) {
      const px = x(e.date);
      const py = laneY(e.lane);
      pointAt.set(e.id, [px, py]);
      const colour = LANE_COLOURS[e.lane];
      const classes = ["sg-point", e.planned ? "sg-planned" : "", e.status === "unverified" ? "sg-unverified" : "", e.id === selected ? "sg-selected" : "", e.milestone ? "sg-milestone" : ""].filter(Boolean).join(" ");
      const circle = s("circle", { cx: px, cy: py, r: e.milestone ? 7.5 : 6, class: classes, style: `--sg-lane:${colour}`, "data-event": e.id, role: "button" });
      attachTooltip(circle, [title(e), `${formatDate(e.date, lang, e.date_precision)} · ${t(e.planned ? "timeline.planned" : "timeline.happened")}`, `${t("status.label")} ${t.term("status", e.status)}`, outcomeText(e)].filter(Boolean));
      pressable(circle, () => select(e.id));
      points.append(circle);
      // The outcome's glyph beside a plan, unless it would touch another plan's glyph (the
      // outcome is in the tooltip and the event's panel either way).
      const glyphX = px + 8;
      if (e.planned && e.outcome && !glyphBoxes.some(([gx, gy]) => Math.abs(gx - glyphX) < 12 && Math.abs(gy - py) < 14)) {
        glyphBoxes.push([glyphX, py]);
        points.append(s("text", { class: "sg-outcome-glyph", x: glyphX, y: py - 6 }, OUTCOME_GLYPH[e.outcome] || ""));
      }
    }
    if (selected && pointAt.has(selected)) {
      const [px, py] = pointAt.get(selected);
      points.append(s("circle", { cx: px, cy: py, r: 12, class: "sg-selection-ring" }));
    }
    svg.append(points);

    // Milestone labels (or numbers) with leader lines to their points.
    for (const item of labelItems) {
      if (item.level === undefined) continue;
      const y = levelY(item.level);
      const [px, py] = pointAt.get(item.event.id);
      const group = s("g", { class: "sg-milestone-label" + (item.event.id === selected ? " sg-selected" : ""), "data-event": item.event.id });
      const textBottom = numbered ? y + 8 : y + (item.lines.length - 1) * 14 + 4;
      group.append(s("line", { class: "sg-leader", x1: px, x2: px, y1: textBottom + 2, y2: py - 8 }));
      if (numbered) {
        group.append(s("circle", { class: "sg-number-badge", cx: item.lo + 9, cy: y + 2, r: 9 }));
        group.append(s("text", { class: "sg-number", x: item.lo + 9, y: y + 6, "text-anchor": "middle" }, item.lines[0]));
      } else {
        group.append(svgLines(item.lines, { class: "sg-milestone-text", x: item.lo, y: y }, 14));
      }
      group.addEventListener("click", () => select(item.event.id));
      svg.append(group);
    }
    if (seriesTitle) svg.append(seriesTitle);
    milestoneKey.hidden = !numbered;
    fill(milestoneKey, 
      ...(numbered ? labelItems.map((item) => h("li", { value: item.number }, h("button", { type: "button", class: "sg-link-button", onclick: () => select(item.event.id) }, `${formatDate(item.event.date, lang, item.event.date_precision)} — ${title(item.event)}`))) : [])
    );
    return { svg, events };
  }

  function drawDetails() {
    const id = ctx.state.event;
    if (!id) {
      fill(details, h("p", { class: "sg-hint" }, t("timeline.pick_hint")));
      return;
    }
    const e = page.events.get(id);
    const outcome = e.outcome_event_id ? page.events.get(e.outcome_event_id) : null;
    const plans = page.data.events.filter((p) => p.outcome_event_id === id);
    fill(details, 
      h("h3", {}, title(e)),
      h("p", { class: "sg-meta" }, nowrap(formatDate(e.date, lang, e.date_precision)), ` · ${t.term("lane", e.lane)} · ${t(e.planned ? "timeline.planned" : "timeline.happened")} `, badge(t, e.status), originalTag(ctx, e.sources)),
      e.planned ? h("p", { class: "sg-outcome" }, outcomeText(e)) : null,
      h("p", {}, pick(e.summary, lang)),
      outcome ? h("p", {}, `${t("timeline.what_happened")}: `, h("button", { type: "button", class: "sg-link-button", onclick: () => ctx.set({ event: outcome.id }) }, title(outcome))) : null,
      ...plans.map((p) => h("p", {}, `${t("timeline.plan_was")}: `, h("button", { type: "button", class: "sg-link-button", onclick: () => ctx.set({ event: p.id }) }, title(p)))),
      sourceItems(ctx, e.sources)
    );
  }

  function drawList() {
    const needle = search.value.trim().toLowerCase();
    const events = visibleEvents().filter((e) => !needle || title(e).toLowerCase().includes(needle) || pick(e.summary, lang).toLowerCase().includes(needle));
    count.textContent = t("timeline.count", { n: events.length });
    const shown = events.slice(0, 200);
    fill(listBox, 
      ...shown.map((e) =>
        h("li", {}, h("button", { type: "button", class: "sg-event-item" + (e.id === ctx.state.event ? " sg-selected" : ""), "data-event": e.id, "aria-pressed": String(e.id === ctx.state.event), onclick: () => select(e.id) }, h("span", { class: "sg-nw sg-event-date" }, formatDate(e.date, lang, e.date_precision)), " ", title(e)))
      ),
      events.length > shown.length ? h("li", { class: "sg-more" }, t("timeline.more", { n: events.length - shown.length })) : null
    );
  }

  // A new pick changes classes on what is drawn, the ring and the list; the layout stays.
  function markSelected() {
    const id = ctx.state.event;
    for (const node of frame.plot.querySelectorAll("circle.sg-point, .sg-milestone-label")) node.classList.toggle("sg-selected", node.getAttribute("data-event") === id);
    frame.plot.querySelector(".sg-selection-ring")?.remove();
    const point = id ? frame.plot.querySelector(`circle.sg-point[data-event="${CSS.escape(id)}"]`) : null;
    if (point) point.parentNode.append(s("circle", { cx: point.getAttribute("cx"), cy: point.getAttribute("cy"), r: 12, class: "sg-selection-ring" }));
    for (const item of listBox.querySelectorAll(".sg-event-item")) {
      const on = item.getAttribute("data-event") === id;
      item.classList.toggle("sg-selected", on);
      item.setAttribute("aria-pressed", String(on));
    }
    frame.touch();
  }

  function draw() {
    const { svg, events } = chart(frame.el.clientWidth || ctx.width);
    frame.draw({
      svg,
      columns: [
        { key: "date", label: t("column.date"), kind: "date", format: (v) => v },
        { key: "precision", label: t("column.precision") },
        { key: "lane", label: t("column.lane") },
        { key: "title", label: t("column.title") },
        { key: "planned", label: t("column.planned"), format: (v) => (v ? "✓" : "—") },
        { key: "outcome", label: t("column.outcome") },
      ],
      rows: events.map((e) => [e.date, e.date_precision, t.term("lane", e.lane), title(e), e.planned, e.outcome ? t.term("outcome", e.outcome) : ""]),
      statuses: events.map((e) => e.status),
      sources: events.map((e) => e.sources),
    });
  }

  const drawAll = () => {
    drawControls();
    draw();
    drawDetails();
    drawList();
  };
  return viewOf(ctx, el, drawAll, (changed) => {
    if (["date_from", "date_to", "lanes"].some((key) => changed.has(key))) {
      draw();
      drawControls();
      idle(listAndCount, 300); // the list below the chart waits for an idle moment
    } else if (changed.has("event")) {
      markSelected();
    }
    if (changed.has("event")) {
      drawDetails();
      const id = ctx.state.event;
      ctx.announce(id ? t("announce.selected", { name: title(page.events.get(id)) }) : t("announce.cleared"));
    }
  });
}

// An SVG element with the button role does what a button does: pressed by a click, Enter or Space.
function pressable(element, action) {
  element.addEventListener("click", action);
  element.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      action();
    }
  });
}

// The steps of a plan named by what differs between their titles ("Microsoft-OpenAI plan:
// phase 3 under way" and "…: phase 4 expected" become "phase 3 under way" and "phase 4 expected").
function stepLabels(titles) {
  if (titles.length < 2) return titles;
  let prefix = titles[0];
  for (const title of titles) while (!title.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = Math.max(prefix.lastIndexOf(" "), prefix.lastIndexOf("："), prefix.lastIndexOf(":") + 1, prefix.lastIndexOf("、") + 1);
  return cut > 0 ? titles.map((title) => title.slice(cut).trim() || title) : titles;
}

const OUTCOME_GLYPH = { on_time: "✓", late: "✓", partly: "◐", missed: "✗", cancelled: "✗", superseded: "↻", unknown: "?" };
