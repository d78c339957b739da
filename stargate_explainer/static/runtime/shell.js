// Around the views: masthead, navigation, language switch, the reader's tools (copy link,
// theme, print, cite, embed, downloads), the drawing's tooltip and the error panel. One control
// design for every host.

import { createTooltip, h, nowrap, save, zipFiles } from "./dom.js";
import { datasetFiles } from "./dataset_csv.js";
import { formatDate, makeText } from "./i18n.js";
import { VIEWS } from "./rules.js";

const THEME_KEY = "stargate-theme";
// The drawing's root classes. JupyterLab (MathJax 3) and nbconvert's pages (MathJax 2) typeset
// "$…$" in HTML outputs as TeX, which turns "$500B … the first $100B" into a formula; these
// classes make both skip the drawing.
const APP_CLASS = "sg-app mathjax_ignore tex2jax_ignore";

// The reader's own choice (kept by the pages the explainer owns), else the system's.
function preferredTheme() {
  let stored = null;
  try {
    stored = localStorage.getItem(THEME_KEY);
  } catch (error) {
    stored = null; // storage can be off (private windows, file:// pages)
  }
  if (stored === "dark" || stored === "light") return stored;
  return matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

// JupyterLab's theme (and that of its exported pages) where the drawing runs inside one.
function jupyterTheme(doc) {
  const light = doc.body?.dataset.jpThemeLight;
  return light === "true" ? "light" : light === "false" ? "dark" : null;
}

export function createShell(ctx, { onResize }) {
  const { t, page, lang } = ctx;
  const state = ctx.state;
  const doc = ctx.el.ownerDocument;
  // Only a host that is the whole page (the static site, the Voilà dashboard) sets the page's
  // theme; an output in a notebook themes itself and follows the notebook's theme.
  const followJupyter = !ctx.ownsPage && jupyterTheme(doc) !== null;
  const theme = () => ctx.prefs.theme ?? (followJupyter ? jupyterTheme(doc) : preferredTheme());
  const app = h("div", { class: APP_CLASS, lang });
  // Written only when it changes: writing an attribute, even its own value, makes the browser
  // restyle everything below it (9 ms of every interaction, measured).
  const applyTheme = () => {
    const value = theme();
    if (app.dataset.sgTheme !== value) app.dataset.sgTheme = value;
    if (ctx.ownsPage && doc.documentElement.dataset.sgTheme !== value) doc.documentElement.dataset.sgTheme = value;
  };
  applyTheme();
  const themeWatch = followJupyter ? new MutationObserver(applyTheme) : null;
  themeWatch?.observe(doc.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });

  const main = h("main", { class: "sg-main", id: ctx.uid("main") });
  const kernelNote = h("p", { class: "sg-kernel-note", hidden: true });

  if (state.embed) {
    app.classList.add("sg-embed");
    // A link back to the full explainer where the page has an address of its own (not in a
    // notebook, whose address is JupyterLab's).
    const full = ctx.addressMode ? [h("a", { class: "sg-full-link", href: ctx.shareLink({ embed: false }), target: "_top" }, t("tools.full_explainer")), " · "] : [];
    app.append(main, h("p", { class: "sg-embed-footer" }, ...full, t("app.title")));
  } else {
    const languages = h(
      "div",
      { class: "sg-lang", role: "group", "aria-label": t("app.language") },
      ...[["en", "EN"], ["ja", "日本語"]].map(([code, label]) =>
        h("button", { type: "button", lang: code, "aria-pressed": String(code === lang), "data-lang": code, onclick: () => ctx.set({ lang: code }) }, label)
      )
    );
    const tabs = VIEWS.map((view) =>
      h("button", { type: "button", class: "sg-tab", "data-view": view, "aria-controls": main.id, onclick: () => ctx.set({ view }) }, t(`view.${view}`))
    );
    const toolsButton = h("button", { type: "button", class: "sg-tools-button", "aria-expanded": "false" }, t("tools.menu"));
    const toggleTheme = () => {
      ctx.prefs.theme = theme() === "dark" ? "light" : "dark";
      if (ctx.ownsPage) {
        try {
          localStorage.setItem(THEME_KEY, ctx.prefs.theme);
        } catch (error) {
          // not kept: storage is off
        }
      }
      applyTheme();
      return ctx.prefs.theme;
    };
    const tools = createTools(ctx, { toggleTheme, theme, root: app });
    tools.el.id = ctx.uid("tools");
    tools.el.hidden = true;
    tools.el.append(kernelNote);
    toolsButton.setAttribute("aria-controls", tools.el.id);
    toolsButton.addEventListener("click", () => {
      const open = toolsButton.getAttribute("aria-expanded") !== "true";
      toolsButton.setAttribute("aria-expanded", String(open));
      tools.el.hidden = !open;
    });
    const header = h(
      "header",
      { class: "sg-header" },
      h("div", { class: "sg-masthead" }, h("p", { class: "sg-brand" }, t("app.title")), languages),
      h("p", { class: "sg-standfirst" }, t("app.subtitle")),
      h("p", { class: "sg-meta" }, `${t("app.dataset_date")}: `, nowrap(formatDate(page.data.meta.updated, lang)))
    );
    const nav = h("nav", { class: "sg-nav", "aria-label": t("app.views") }, h("div", { class: "sg-tabs" }, ...tabs), toolsButton);
    app.append(header, nav, tools.el, main, h("footer", { class: "sg-page-footer" }, t("app.licence", { licence: page.data.meta.licence.split(" (")[0] })));
    app.tabs = tabs;
  }

  // Only where it matters to this reader: the Voilà page says when it runs without its kernel
  // (everything on it works; only Python's side of the widget is missing).
  const showKernel = () => {
    const note = { off: "tools.kernel_off", lost: "tools.kernel_lost" }[ctx.kernel];
    kernelNote.hidden = !note;
    kernelNote.textContent = note ? t(note) : "";
  };
  const update = (changed) => {
    applyTheme(); // the theme may have been switched while this drawing was not shown
    // A page of its own names itself in the reader's language and view (its history entries too).
    if (ctx.ownsPage) {
      if (doc.documentElement.lang !== lang) doc.documentElement.lang = lang;
      const title = `${t(`view.${ctx.state.view}`)} — ${t("app.title")}`;
      if (doc.title !== title) doc.title = title;
    }
    for (const tab of app.tabs || []) {
      const current = tab.dataset.view === ctx.state.view;
      tab.setAttribute("aria-current", current ? "page" : "false");
      tab.classList.toggle("sg-current", current);
    }
    if (!changed || changed.has("kernel")) showKernel();
  };
  update();

  const tooltip = createTooltip(app);
  let frame = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => onResize(main.clientWidth));
  });
  observer.observe(main);
  const beforePrint = () => {
    for (const details of app.querySelectorAll("details")) details.open = true;
    app.dataset.sgTheme = "light";
  };
  addEventListener("beforeprint", beforePrint);
  addEventListener("afterprint", applyTheme);

  return {
    el: app,
    main,
    update,
    dispose() {
      cancelAnimationFrame(frame);
      observer.disconnect();
      themeWatch?.disconnect();
      tooltip.dispose();
      removeEventListener("beforeprint", beforePrint);
      removeEventListener("afterprint", applyTheme);
    },
  };
}

function createTools(ctx, { toggleTheme, theme, root }) {
  const { t, page, lang } = ctx;
  const copy = async (text, done) => {
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      const area = h("textarea", { class: "sg-visually-hidden" }, text);
      root.append(area);
      area.select();
      root.ownerDocument.execCommand("copy");
      area.remove();
    }
    ctx.announce(done);
  };
  const linkButton = h("button", { type: "button", class: "sg-tool", "data-action": "copy-link", onclick: () => copy(ctx.shareLink(), t("tools.copied")) }, t("tools.copy_link"));
  const themeButton = h("button", { type: "button", class: "sg-tool", "data-action": "theme", "aria-pressed": String(theme() === "dark") }, t("tools.dark"));
  themeButton.addEventListener("click", () => themeButton.setAttribute("aria-pressed", String(toggleTheme() === "dark")));
  const printButton = h("button", { type: "button", class: "sg-tool", "data-action": "print", onclick: () => print() }, t("tools.print"));

  const pageUrl = () => {
    const url = new URL(location.href);
    return url.origin === "null" ? url.href.split(/[?#]/)[0] : url.origin + url.pathname;
  };
  const citation = page.derived.citation;
  const citeText = () => citation[lang].replace("{url}", pageUrl());
  const bibtex = () => citation.bibtex.replace("{url}", pageUrl());
  const citeBox = h(
    "details",
    { class: "sg-cite", "data-panel": "cite" },
    h("summary", {}, t("tools.cite")),
    h("p", { class: "sg-cite-text" }, citeText()),
    h("pre", { class: "sg-bibtex" }, bibtex()),
    h("button", { type: "button", class: "sg-tool", onclick: () => copy(citeText(), t("tools.copied_citation")) }, t("tools.copy_citation"))
  );
  const embedArea = h("textarea", { readonly: true, rows: 3, "aria-label": t("tools.embed"), class: "sg-embed-code" });
  const embedBox = h("details", { class: "sg-embed-box", "data-panel": "embed" }, h("summary", {}, t("tools.embed")), h("p", {}, t("tools.embed_note")), embedArea);
  embedBox.addEventListener("toggle", () => {
    const src = ctx.shareLink({ embed: true });
    embedArea.value = `<iframe src="${src.replace(/"/g, "&quot;")}" width="100%" height="640" style="border:0" title="${t("app.title")}"></iframe>`;
  });

  const json = h("button", { type: "button", class: "sg-tool", "data-action": "dataset-json", onclick: () => save("stargate.json", new Blob([JSON.stringify(page.data, null, 1) + "\n"], { type: "application/json" })) }, t("tools.dataset_json"));
  const csv = h("button", { type: "button", class: "sg-tool", "data-action": "dataset-csv", onclick: () => save("stargate-csv.zip", zipFiles(datasetFiles(page))) }, t("tools.dataset_csv"));
  const el = h(
    "div",
    { class: "sg-tools", role: "region", "aria-label": t("tools.menu") },
    h("div", { class: "sg-tool-row" }, linkButton, themeButton, printButton, json, csv),
    citeBox,
    embedBox
  );
  return { el };
}

// The panel a reader sees when the data file has problems: what, where, and how many.
export function errorPanel(pageModel, lang) {
  const ui = pageModel.ui;
  const t = ui ? makeText(ui, lang) : (key) => key;
  const problems = pageModel.problems;
  const title = ui ? `${makeText(ui, "en")("error.title")} / ${makeText(ui, "ja")("error.title")}` : "The dataset could not be loaded";
  const items = problems.items.map((item) => h("li", {}, h("code", {}, item)));
  const more = problems.count - problems.items.length;
  return h(
    "div",
    { class: APP_CLASS },
    h(
      "div",
      { class: "sg-error", role: "alert" },
      h("h2", {}, title),
      h("p", {}, t("error.intro", { n: problems.count, file: problems.file })),
      h("ul", {}, ...items, more > 0 ? h("li", {}, t("error.more", { n: more })) : null)
    )
  );
}
