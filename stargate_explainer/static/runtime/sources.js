// Every page the explainer rests on: a table with headers, sorting, a kind filter and a text
// filter; primary sources first; languages by name; how many records cite each source.

import { fill, h, link } from "./dom.js";
import { formatDate } from "./i18n.js";
import { viewHeader, viewOf } from "./common.js";
import { SOURCE_KINDS } from "./page.js";

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
  const sources = page.data.sources;
  const kinds = SOURCE_KINDS.filter((kind) => sources.some((s) => s.kind === kind));
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
  const kindSelect = h("select", { id: ctx.uid("source-kind"), "data-control": "source-kind" }, h("option", { value: "" }, t("sources.all")), ...kinds.map((k) => h("option", { value: k }, t.term("source_kind", k))));
  const status = h("p", { class: "sg-count", "aria-live": "polite", "data-panel": "source-count" });
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
    { key: "kind", label: t("column.kind"), value: (s) => SOURCE_KINDS.indexOf(s.kind) },
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
  query.addEventListener("input", () => draw());
  kindSelect.addEventListener("change", () => draw());

  function draw() {
    const needle = query.value.trim().toLowerCase();
    const kind = kindSelect.value;
    const column = columns.find((c) => c.key === sortKey);
    const rows = sources
      .filter((s) => !kind || s.kind === kind)
      .filter((s) => !needle || `${s.title} ${s.publisher} ${s.id}`.toLowerCase().includes(needle))
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
          h("td", {}, link(s.url, s.title)),
          h("td", { class: "sg-nw" }, s.date_published ? formatDate(s.date_published, lang) : "—"),
          h("td", {}, languageName(s.language)),
          h("td", { class: "sg-number" }, String(citedBy.get(s.id) || 0))
        )
      )
    );
    more.hidden = shown.length === rows.length;
    more.textContent = t("sources.show_all", { n: rows.length });
  }
  return viewOf(ctx, el, () => {
    if (!body.children.length) draw();
  });
}
