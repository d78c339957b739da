// What every chart offers a reader, in the live dashboard and the static site alike: the
// figure drawn in the current theme, a "Table" toggle with the plotted rows (kept in the
// accessibility tree when hidden, so it is the chart's text alternative), CSV/PNG/SVG downloads
// that carry the source line and the dataset date, and the computed source footer.
// Python prepends `const STARGATE_THEMES = {...}` (stargate_explainer.figures.THEMES).
// The chart payload comes from stargate_explainer.charts.payload; data text is only ever set
// with textContent here, and links only take the http(s) addresses Python let through.

const SG_PLOT_CONFIG = { displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
let sgNextId = 0;

function sgTheme() {
  return document.documentElement.dataset.sgTheme === "dark" ? "dark" : "light";
}

function sgSetTheme(theme) {
  document.documentElement.dataset.sgTheme = theme;
  try {
    localStorage.setItem("stargate-theme", theme);
  } catch (error) {
    // storage can be off (private windows, file:// pages); the theme still applies
  }
  window.dispatchEvent(new CustomEvent("stargate-theme", { detail: theme }));
}

function sgInitialTheme() {
  let stored = null;
  try {
    stored = localStorage.getItem("stargate-theme");
  } catch (error) {
    stored = null;
  }
  if (stored === "dark" || stored === "light") return stored;
  return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function sgMerge(base, extra) {
  const result = Object.assign({}, base);
  for (const [key, value] of Object.entries(extra)) {
    const inner = result[key];
    result[key] =
      value && typeof value === "object" && !Array.isArray(value) && inner && typeof inner === "object"
        ? sgMerge(inner, value)
        : value;
  }
  return result;
}

// The figure in the current theme: layout colours from the theme, and the theme's swaps for
// ink colours (black rings and outlines become light on a dark page).
function sgThemed(figure) {
  const theme = STARGATE_THEMES[sgTheme()];
  const swaps = Object.entries(theme.swap);
  let data = figure.data || [];
  if (swaps.length) {
    let text = JSON.stringify(data);
    for (const [from, to] of swaps) text = text.split(JSON.stringify(from)).join(JSON.stringify(to));
    data = JSON.parse(text);
  }
  return { data, layout: sgMerge(figure.layout || {}, theme.layout) };
}

function sgElement(tag, attributes, text) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

function sgSave(filename, blob) {
  const link = sgElement("a", { href: URL.createObjectURL(blob), download: filename });
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

// --- the rows ---------------------------------------------------------------------------
function sgFormatCell(value, lang) {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "✓" : "—";
  if (typeof value === "number") {
    return value.toLocaleString(lang === "ja" ? "ja-JP" : "en-US", { maximumFractionDigits: 2 });
  }
  return String(value);
}

function sgCsvField(value) {
  let text = value === null || value === undefined ? "" : String(value);
  // Text a spreadsheet would run as a formula is kept as text.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// The rows exactly as plotted: raw numbers (no rounding), status keys, source ids and URLs.
function sgCsv(payload) {
  const header = [...payload.columns, "status", "source_ids", "source_urls"];
  const lines = [header.map(sgCsvField).join(",")];
  payload.rows.forEach((row, index) => {
    const ids = payload.sources[index];
    const urls = ids.map((id) => (payload.source_index[id] || {}).url || "");
    lines.push([...row, payload.status[index], ids.join(" "), urls.join(" ")].map(sgCsvField).join(","));
  });
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

function sgTable(payload, lang, captionId) {
  const table = sgElement("table", { class: "sg-table sg-data-table" });
  table.appendChild(sgElement("caption", { id: captionId }, `${payload.title} — ${payload.ui.data_note}`));
  const head = table.createTHead().insertRow();
  for (const column of [...payload.columns, "status", "source_ids"]) {
    head.appendChild(sgElement("th", { scope: "col" }, payload.labels[column]));
  }
  const body = table.createTBody();
  payload.rows.forEach((row, index) => {
    const line = body.insertRow();
    for (const value of row) {
      const cell = line.insertCell();
      cell.textContent = sgFormatCell(value, lang);
      if (typeof value === "number") cell.className = "sg-number";
    }
    line.insertCell().textContent = payload.status_labels[payload.status[index]];
    const sources = line.insertCell();
    payload.sources[index].forEach((id, position) => {
      const source = payload.source_index[id] || { publisher: id, title: id, url: "" };
      if (position) sources.appendChild(document.createTextNode("; "));
      const label = source.url
        ? sgElement("a", { href: source.url, title: source.title, target: "_blank", rel: "noopener noreferrer" }, source.publisher)
        : sgElement("span", { title: source.title }, source.publisher);
      sources.appendChild(label);
    });
  });
  return table;
}

// The sources of exactly the plotted values, and a warning when any of them is not confirmed
// (the same footer as stargate_explainer.panels.source_footer).
// Source ids of the rows, first seen first (stargate_explainer.frames.cited).
function sgCited(payload) {
  return [...new Set(payload.sources.flat())];
}

// The least certain status of the rows, when it needs the "not confirmed" warning.
function sgWarning(payload) {
  const worst = payload.status.reduce(
    (a, b) => (payload.severity.indexOf(b) > payload.severity.indexOf(a) ? b : a),
    payload.severity[0]
  );
  return worst in payload.warnings ? { status: worst, colour: payload.warnings[worst] } : null;
}

function sgSourceLine(payload) {
  const publishers = [...new Set(sgCited(payload).map((id) => payload.source_index[id].publisher))];
  const warning = sgWarning(payload);
  const note = warning ? ` · ${payload.ui.warning}: ${payload.status_labels[warning.status]}` : "";
  return `${payload.ui.sources}: ${publishers.join("; ")}${note}`;
}

function sgFooter(payload) {
  const footer = sgElement("footer", { class: "sg-footer" });
  const warning = sgWarning(payload);
  if (warning) {
    const note = sgElement("p", { class: "sg-note" }, `${payload.ui.warning}: `);
    const badge = sgElement("span", { class: "sg-badge" }, payload.status_labels[warning.status]);
    badge.style.borderColor = warning.colour;
    badge.style.color = warning.colour;
    note.appendChild(badge);
    footer.appendChild(note);
  }
  const cited = sgCited(payload);
  const details = sgElement("details");
  details.appendChild(sgElement("summary", {}, `${payload.ui.sources} (${cited.length})`));
  const list = sgElement("ol", { class: "sg-sources" });
  for (const id of cited) {
    const source = payload.source_index[id];
    const item = sgElement("li");
    item.appendChild(
      source.url
        ? sgElement("a", { href: source.url, target: "_blank", rel: "noopener noreferrer" }, source.title)
        : document.createTextNode(source.title)
    );
    item.appendChild(document.createTextNode(` — ${source.publisher}${source.date ? ", " + source.date : ""}`));
    list.appendChild(item);
  }
  details.appendChild(list);
  footer.appendChild(details);
  return footer;
}

// --- images: the chart plus a band with the source line and the dataset date ---------------
function sgWrap(context, text, width) {
  const lines = [];
  let line = "";
  for (const character of text) {
    if (context.measureText(line + character).width > width && line) {
      const space = line.lastIndexOf(" ");
      if (space > line.length / 2) {
        lines.push(line.slice(0, space));
        line = line.slice(space + 1) + character;
      } else {
        lines.push(line);
        line = character;
      }
    } else {
      line += character;
    }
  }
  if (line) lines.push(line);
  return lines;
}

const SG_IMAGE_FONT = '12px "Noto Sans", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, Arial, sans-serif';

function sgCaptionLines(payload, width) {
  const context = document.createElement("canvas").getContext("2d");
  context.font = SG_IMAGE_FONT;
  return [sgSourceLine(payload), payload.dataset_line].flatMap((text) => sgWrap(context, text, width - 20));
}

async function sgImage(plot, payload, format) {
  const width = Math.round(plot._fullLayout.width);
  const height = Math.round(plot._fullLayout.height);
  const lines = sgCaptionLines(payload, width);
  const band = 12 + 17 * lines.length;
  const theme = STARGATE_THEMES[sgTheme()].layout;
  const background = theme.paper_bgcolor;
  const ink = theme.font.color;
  if (format === "svg") {
    const url = await Plotly.toImage(plot, { format: "svg", width, height });
    const chart = new DOMParser().parseFromString(
      decodeURIComponent(url.slice(url.indexOf(",") + 1)),
      "image/svg+xml"
    ).documentElement;
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("xmlns", NS);
    svg.setAttribute("width", width);
    svg.setAttribute("height", height + band);
    svg.setAttribute("viewBox", `0 0 ${width} ${height + band}`);
    const rect = document.createElementNS(NS, "rect");
    for (const [name, value] of Object.entries({ width, height: height + band, fill: background })) rect.setAttribute(name, value);
    svg.appendChild(rect);
    chart.setAttribute("x", "0");
    chart.setAttribute("y", "0");
    svg.appendChild(document.importNode(chart, true));
    lines.forEach((line, index) => {
      const text = document.createElementNS(NS, "text");
      text.setAttribute("x", "10");
      text.setAttribute("y", String(height + 17 * (index + 1)));
      text.setAttribute("font-family", SG_IMAGE_FONT.replace(/^12px /, ""));
      text.setAttribute("font-size", "12");
      text.setAttribute("fill", ink);
      text.setAttribute("class", "sg-source-line");
      text.textContent = line;
      svg.appendChild(text);
    });
    return new Blob([new XMLSerializer().serializeToString(svg)], { type: "image/svg+xml" });
  }
  const scale = 2;
  const url = await Plotly.toImage(plot, { format: "png", width, height, scale });
  const image = new Image();
  await new Promise((resolve, reject) => {
    image.onload = resolve;
    image.onerror = reject;
    image.src = url;
  });
  const canvas = document.createElement("canvas");
  canvas.width = width * scale;
  canvas.height = (height + band) * scale;
  const context = canvas.getContext("2d");
  context.scale(scale, scale);
  context.fillStyle = background;
  context.fillRect(0, 0, width, height + band);
  context.drawImage(image, 0, 0, width, height);
  context.font = SG_IMAGE_FONT;
  context.fillStyle = ink;
  lines.forEach((line, index) => context.fillText(line, 10, height + 17 * (index + 1) - 4));
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

// --- one chart ----------------------------------------------------------------------------
// Builds the chart's parts inside `container` and returns {plot, update(payload), dispose()}.
// `update` draws the payload's figure; draws run one after another so the plot's
// data-revision always names what is shown.
function sgMountChart(container) {
  const id = `sg-chart-${++sgNextId}`;
  container.classList.add("sg-chart");
  container.setAttribute("role", "figure");
  container.setAttribute("aria-describedby", `${id}-caption`);
  const plot = sgElement("div", { class: "stargate-figure", id: `${id}-plot` });
  const tools = sgElement("div", { class: "sg-chart-tools", role: "group" });
  const toggle = sgElement("button", { type: "button", "aria-expanded": "false", "aria-controls": `${id}-table`, "data-action": "table" });
  const csv = sgElement("button", { type: "button", "data-action": "csv" });
  const png = sgElement("button", { type: "button", "data-action": "png" });
  const svg = sgElement("button", { type: "button", "data-action": "svg" });
  tools.append(toggle, csv, png, svg);
  const tableBox = sgElement("div", { class: "sg-chart-table sg-visually-hidden", id: `${id}-table` });
  const footer = sgElement("div", { class: "sg-chart-footer" });
  container.append(plot, tools, tableBox, footer);
  let current = null;
  let drawing = Promise.resolve();
  let revision = 0;

  // Hidden, the table stays in the accessibility tree (the chart's text alternative), but its
  // links leave the tab order so that keyboard focus never lands on something unseen.
  const isOpen = () => toggle.getAttribute("aria-expanded") === "true";
  function showTable(table) {
    for (const link of table.querySelectorAll("a")) {
      if (isOpen()) link.removeAttribute("tabindex");
      else link.setAttribute("tabindex", "-1");
    }
    tableBox.replaceChildren(table);
  }
  toggle.addEventListener("click", () => {
    toggle.setAttribute("aria-expanded", String(!isOpen()));
    tableBox.classList.toggle("sg-visually-hidden", !isOpen());
    showTable(tableBox.firstElementChild);
  });
  csv.addEventListener("click", () => {
    sgSave(`${current.filename}.csv`, new Blob([sgCsv(current)], { type: "text/csv;charset=utf-8" }));
  });
  for (const [button, format] of [[png, "png"], [svg, "svg"]]) {
    button.addEventListener("click", async () => {
      if (button.getAttribute("aria-disabled") === "true") return;
      button.setAttribute("aria-disabled", "true"); // keeps focus, unlike `disabled`
      try {
        sgSave(`${current.filename}.${format}`, await sgImage(plot, current, format));
      } finally {
        button.removeAttribute("aria-disabled");
      }
    });
  }

  function draw(explicitRevision) {
    drawing = drawing.then(() => {
      if (!current) return undefined;
      const figure = sgThemed(current.figure);
      const width = plot.clientWidth > 0 ? plot.clientWidth : undefined;
      const layout = Object.assign({}, figure.layout, { width });
      revision = explicitRevision === undefined ? revision + 1 : explicitRevision;
      const mark = revision;
      return Plotly.react(plot, figure.data || [], layout, SG_PLOT_CONFIG).then(() => {
        plot.dataset.revision = String(mark);
      });
    });
    return drawing;
  }

  function update(payload, explicitRevision) {
    current = payload;
    container.setAttribute("aria-label", payload.title);
    tools.setAttribute("aria-label", payload.title);
    toggle.textContent = payload.ui.table;
    csv.textContent = payload.ui.csv;
    png.textContent = payload.ui.png;
    svg.textContent = payload.ui.svg;
    const drawn = draw(explicitRevision);
    // The table and footer follow the drawing: the chart is what the reader watches change.
    // (a task later, so the browser paints the new chart first)
    drawn.then(() =>
      setTimeout(() => {
        if (current !== payload) return; // a newer payload is on its way
        showTable(sgTable(payload, payload.lang, `${id}-caption`));
        footer.replaceChildren(sgFooter(payload));
      }, 0)
    );
    return drawn;
  }

  // New rows for the same drawing (the static timeline filters rows by the range the reader
  // zoomed to; plotly has already drawn it): table, CSV and footer follow.
  function showRows(payload) {
    current = payload;
    showTable(sgTable(payload, payload.lang, `${id}-caption`));
    footer.replaceChildren(sgFooter(payload));
  }

  window.addEventListener("stargate-theme", () => draw(revision));
  const resize = new ResizeObserver(() => {
    const now = plot.clientWidth;
    if (now && plot._fullLayout && Math.abs(plot._fullLayout.width - now) > 1) {
      Plotly.relayout(plot, { width: now });
    }
  });
  resize.observe(plot);
  return {
    plot,
    update,
    showRows,
    dispose() {
      resize.disconnect();
      Plotly.purge(plot);
    },
  };
}

// --- the reader's tools: link, theme, citation, print --------------------------------------
// `options`: {ui, citation: {plain, bibtex}, link(): string, datasets: [{format, label, save()}]}
function sgMountTools(container, options) {
  const ui = options.ui;
  container.classList.add("sg-tools");
  const linkLabel = sgElement("label", { class: "sg-link" });
  linkLabel.append(sgElement("span", {}, ui.link));
  const linkBox = sgElement("input", { type: "text", readonly: "", "data-control": "share-link" });
  linkLabel.append(linkBox);
  const copy = sgElement("button", { type: "button", "data-action": "copy-link" }, ui.copy_link);
  const status = sgElement("span", { class: "sg-copied", role: "status", "aria-live": "polite" });
  const theme = sgElement("button", { type: "button", "data-action": "theme", "aria-pressed": String(sgTheme() === "dark") }, ui.dark);
  const print = sgElement("button", { type: "button", "data-action": "print" }, ui.print);
  const citationId = `sg-citation-${++sgNextId}`;
  const cite = sgElement("button", { type: "button", "data-action": "cite", "aria-expanded": "false", "aria-controls": citationId }, ui.cite);
  const row = sgElement("div", { class: "sg-tools-row" });
  row.append(copy, status, theme, print, cite);
  for (const dataset of options.datasets || []) {
    const button = sgElement("button", { type: "button", "data-action": `dataset-${dataset.format}` }, dataset.label);
    button.addEventListener("click", () => dataset.save());
    row.append(button);
  }
  const citation = sgElement("div", { class: "sg-citation", id: citationId, hidden: "" });
  citation.append(
    sgElement("h3", {}, ui.cite),
    sgElement("p", { "data-citation": "plain" }, options.citation.plain),
    sgElement("pre", { "data-citation": "bibtex", tabindex: "0" }, options.citation.bibtex)
  );
  container.append(linkLabel, row, citation);

  const showLink = () => {
    linkBox.value = options.link();
  };
  copy.addEventListener("click", async () => {
    showLink();
    try {
      await navigator.clipboard.writeText(linkBox.value);
    } catch (error) {
      linkBox.select(); // no clipboard permission: the link is selected for the reader to copy
      document.execCommand && document.execCommand("copy");
    }
    status.textContent = ui.copied;
    setTimeout(() => (status.textContent = ""), 4000);
  });
  theme.addEventListener("click", () => {
    const next = sgTheme() === "dark" ? "light" : "dark";
    sgSetTheme(next);
    theme.setAttribute("aria-pressed", String(next === "dark"));
  });
  print.addEventListener("click", () => window.print());
  cite.addEventListener("click", () => {
    citation.hidden = !citation.hidden;
    cite.setAttribute("aria-expanded", String(!citation.hidden));
  });
  // A printed page is light whatever the screen shows.
  let screenTheme = null;
  window.addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll(".sg-app details")) details.open = true;
    screenTheme = sgTheme();
    if (screenTheme === "dark") {
      document.documentElement.dataset.sgTheme = "light";
      window.dispatchEvent(new CustomEvent("stargate-theme", { detail: "light" }));
    }
  });
  window.addEventListener("afterprint", () => {
    if (screenTheme === "dark") {
      document.documentElement.dataset.sgTheme = "dark";
      window.dispatchEvent(new CustomEvent("stargate-theme", { detail: "dark" }));
    }
  });
  showLink();
  return { showLink };
}
