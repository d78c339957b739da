// Every page the explainer rests on: how many facts stand on an original (and which do not, with
// the reason), then a table with headers, sorting, a kind filter and a text filter; originals
// first; labelled copies named as copies of their original; languages by name; how many records
// cite each source. The filters are view state (`source_kind`, `source_query`): in the link.

import { fill, h, link, nowrap } from "./dom.js";
import { formatDate, formatNumber, formatPercent, pick } from "./i18n.js";
import { viewHeader, viewOf } from "./common.js";
import { SOURCE_GROUPS } from "./page.js";

const PAGE_ROWS = 100;

export function createSourcesView(ctx) {
  const { t, page, lang } = ctx;
  const el = h("section", { class: "sg-view sg-view-sources", "data-view": "sources" });
  el.append(viewHeader(ctx, "sources"));
  const citedBy = new Map();
  const count = (ids) => {
    for (const id of ids || []) citedBy.set(id, (citedBy.get(id) || 0) + 1);
  };
  for (const table of ["organisations", "people", "commitments", "events", "market_moves", "claims", "fx", "comparisons", "corrections"]) {
    for (const record of page.data[table] || []) {
      count(record.sources);
      count(record.verdict_sources);
    }
  }
  const sources = [...page.sources.values()];
  const kinds = page.sourceKinds.filter((kind) => sources.some((s) => s.kind === kind));
  el.append(qualitySummary(ctx));
  // Each language code named once: rows and sorting ask for it many times.
  const languageNames = new Map();
  const languageName = (code) => {
    if (!languageNames.has(code)) {
      let name = code;
      try {
        name = new Intl.DisplayNames([lang], { type: "language" }).of(code) || code;
      } catch (error) {
        // An unknown code is shown as it is.
      }
      languageNames.set(code, name);
    }
    return languageNames.get(code);
  };
  const query = h("input", { type: "search", id: ctx.uid("source-filter"), "data-control": "source-filter", autocomplete: "off" });
  // Every kind found, grouped into originals and the rest, and each group as a whole.
  const [ORIGINALS, OTHERS] = SOURCE_GROUPS;
  const group = (original) => kinds.filter((k) => page.originalKinds.includes(k) === original).map((k) => h("option", { value: k }, t.term("source_kind", k)));
  const kindSelect = h(
    "select",
    { id: ctx.uid("source-kind"), "data-control": "source-kind" },
    h("option", { value: "" }, t("sources.all")),
    h("option", { value: ORIGINALS }, t("sources.originals")),
    h("option", { value: OTHERS }, t("sources.not_originals")),
    h("optgroup", { label: t("sources.group_originals") }, ...group(true)),
    h("optgroup", { label: t("sources.group_others") }, ...group(false))
  );
  const kindMatches = (kind, s) => !kind || (kind === ORIGINALS ? s.original : kind === OTHERS ? !s.original : s.kind === kind);
  const status = h("p", { class: "sg-count", "data-panel": "source-count" });
  el.append(
    h(
      "div",
      { class: "sg-controls sg-source-controls" },
      h("div", { class: "sg-control" }, h("label", { for: query.id }, t("sources.filter")), query),
      h("div", { class: "sg-control" }, h("label", { for: kindSelect.id }, t("sources.kind")), kindSelect),
      status
    )
  );
  const columns = [
    { key: "kind", label: t("column.kind"), value: (s) => page.kindRank(s) },
    { key: "publisher", label: t("column.publisher"), value: (s) => s.publisher.toLowerCase() },
    { key: "title", label: t("column.title"), value: (s) => s.title.toLowerCase() },
    { key: "date", label: t("column.date_published"), value: (s) => s.date_published || "" },
    { key: "language", label: t("column.language"), value: (s) => languageName(s.language) },
    { key: "cited", label: t("column.cited_by"), value: (s) => citedBy.get(s.id) || 0 },
  ];
  let sortKey = "kind";
  let ascending = true;
  let showAll = false;
  const headRow = h("tr");
  const table = h("table", { class: "sg-table sg-sources-table" }, h("caption", { class: "sg-visually-hidden" }, t("view.sources")), h("thead", {}, headRow));
  const body = h("tbody");
  table.append(body);
  const more = h("button", { type: "button", class: "sg-tool", hidden: true, onclick: () => { showAll = true; draw(); } });
  el.append(h("div", { class: "sg-table-scroll", tabindex: "0", role: "region", "aria-label": t("view.sources") }, table), more);
  for (const column of columns) {
    const button = h("button", { type: "button", class: "sg-sort", "data-sort": column.key, onclick: () => { ascending = sortKey === column.key ? !ascending : column.key !== "cited" && column.key !== "date"; sortKey = column.key; draw(); } }, column.label);
    headRow.append(h("th", { scope: "col", "data-column": column.key }, button));
  }
  query.addEventListener("input", () => ctx.set({ source_query: query.value }));
  kindSelect.addEventListener("change", () => ctx.set({ source_kind: kindSelect.value }));

  function draw() {
    const { source_query: text, source_kind: kind } = ctx.state;
    if (query.value !== text) query.value = text;
    kindSelect.value = kind;
    const needle = text.trim().toLowerCase();
    const column = columns.find((c) => c.key === sortKey);
    const rows = sources
      .filter((s) => kindMatches(kind, s))
      .filter((s) => !needle || `${s.title} ${s.publisher} ${s.domain} ${s.id}`.toLowerCase().includes(needle))
      .sort((a, b) => {
        const va = column.value(a);
        const vb = column.value(b);
        const order = va < vb ? -1 : va > vb ? 1 : (b.date_published || "") < (a.date_published || "") ? -1 : 1;
        return ascending ? order : -order;
      });
    for (const th of headRow.children) th.setAttribute("aria-sort", th.dataset.column === sortKey ? (ascending ? "ascending" : "descending") : "none");
    status.textContent = t("sources.count", { n: rows.length, total: sources.length });
    const shown = showAll ? rows : rows.slice(0, PAGE_ROWS);
    fill(body, 
      ...shown.map((s) =>
        h(
          "tr",
          { "data-source": s.id },
          h("td", {}, h("span", { class: `sg-kind-tag sg-kind-${s.kind}` }, t.term("source_kind", s.kind))),
          h("td", {}, s.publisher),
          h("td", {}, link(s.url, s.title), copyOf(s)),
          h("td", { class: "sg-nw" }, s.date_published ? formatDate(s.date_published, lang) : "—"),
          h("td", {}, languageName(s.language)),
          h("td", { class: "sg-number" }, String(citedBy.get(s.id) || 0))
        )
      )
    );
    more.hidden = shown.length === rows.length;
    more.textContent = t("sources.show_all", { n: rows.length });
  }
  // A labelled copy names the original it copies.
  function copyOf(s) {
    const original = s.archived_copy_of ? page.sources.get(s.archived_copy_of) : null;
    return original ? h("span", { class: "sg-copy-of" }, ` (${t("sources.copy_of", { title: original.title })})`) : null;
  }
  // A new filter redraws the table and says how many sources it holds.
  return viewOf(
    ctx,
    el,
    () => {
      if (!body.children.length) draw();
    },
    (changed) => {
      if (changed.has("source_kind") || changed.has("source_query")) {
        draw();
        ctx.announce(status.textContent);
      }
    }
  );
}

// How many facts stand on an original and how many sources are dated (page_model.py computes the
// figures), then each fact the data marks as resting on no original, with the reason.
function qualitySummary(ctx) {
  const { t, page, lang } = ctx;
  const q = page.quality;
  const share = (value) => (value === null ? "—" : formatPercent(100 * value, 1));
  const count = (n) => formatNumber(n, 0);
  const titleId = ctx.uid("quality-title");
  const box = h(
    "section",
    { class: "sg-quality", "data-panel": "source-quality", "aria-labelledby": titleId },
    h("h3", { id: titleId }, t("sources.quality_title")),
    h("p", {}, t("sources.quality_facts", { on: count(q.on_originals), facts: count(q.facts), share: share(q.on_originals_share) })),
    h("p", {}, t("sources.quality_sources", { sources: count(q.sources), originals: count(q.original_sources), dated: count(q.dated), share: share(q.dated_share) }))
  );
  if (q.marked.length) {
    box.append(
      h(
        "details",
        { class: "sg-marked" },
        h("summary", {}, t("sources.quality_marked", { n: count(q.marked.length) })),
        h("ul", {}, ...q.marked.map((fact) => h("li", { "data-fact": `${fact.table}:${fact.id}` }, factName(ctx, fact), " — ", h("span", { class: "sg-reason" }, pick(fact.reason, lang)))))
      )
    );
  }
  return box;
}

// What the reader knows a marked fact by: an event's title (a button to it on the timeline), a
// commitment's parties, a market move's instrument and day, a claim's speaker and day.
function factName(ctx, fact) {
  const { t, page, lang } = ctx;
  const name = (id) => pick((page.speaker(id) || {}).name, lang) || id;
  const find = (table) => (page.data[table] || []).find((record) => record.id === fact.id);
  const record = find(fact.table);
  if (!record) return fact.id;
  if (fact.table === "events") {
    return h("button", { type: "button", class: "sg-link-button", onclick: () => ctx.set({ view: "timeline", event: record.id }) }, pick(record.title, lang));
  }
  if (fact.table === "commitments") return `${name(record.org_id)} → ${name(record.to_id)} · ${t.term("commitment", record.kind)}`;
  if (fact.table === "market_moves") return [`${pick(record.name, lang)} (${record.ticker}) · `, nowrap(formatDate(record.date, lang))];
  if (fact.table === "claims") return [`${name(record.speaker_id)} · `, nowrap(formatDate(record.date, lang, record.date_precision || "day"))];
  return fact.id;
}
