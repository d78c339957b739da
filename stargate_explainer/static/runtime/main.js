// The view runtime's entry: the explainer drawn in an element, for every host.
//
// - `render({ model, el, signal, ask })` is anywidget's front-end contract: the dashboard
//   widget's loader (static/loader.js) calls it with the widget's model, whose traits are the
//   view state, so Python can read, set and observe what the reader sees. When the page already
//   shows the explainer drawn before its kernel (the Voilà dashboard), the widget takes that
//   drawing over instead of drawing a second one.
// - `mountHosts(root)` draws every host element (`[data-sg-host]`) that the static site, a
//   notebook's `show()` output or the Voilà page put in the document, each with a small model
//   object of its own in place of a kernel.
//
// Each drawing is an instance with its own element ids, listeners, tooltip, theme and live region
// (what changed, said to a screen reader: `ctx.announce`), all released by its `dispose()`, so any
// number of them can share a page.

import { KEY } from "./build.js";
import { STYLESHEET } from "./style.js";
import { createAnnouncer, h } from "./dom.js";
import { makeText } from "./i18n.js";
import { makePage, normaliseState } from "./page.js";
import { CONTINUOUS, DEFAULT_STATE, STATE_KEYS, parseLink, writeLink } from "./rules.js";
import { FIELDS } from "./fields.js";
import { createShell, errorPanel } from "./shell.js";
import { createOrgView } from "./org.js";
import { createFundingView } from "./funding.js";
import { createTimelineView } from "./timeline.js";
import { createMarketsView } from "./markets.js";
import { createClaimsView } from "./claims.js";
import { createSourcesView } from "./sources.js";

const VIEW_FACTORIES = {
  org: createOrgView,
  funding: createFundingView,
  timeline: createTimelineView,
  markets: createMarketsView,
  claims: createClaimsView,
  sources: createSourcesView,
};
// The language's name in links (`lang`).
const LANG_LINK = FIELDS.find((field) => field.name === "lang").link;

// What every copy of the runtime in a page shares (a notebook can hold outputs of several
// kernels): the runtimes by key (runtime.py and the widget's loader make the object), a counter
// for instance ids, the Voilà page's drawings (`live`) and those still waiting for their kernel.
function registry() {
  const shared = (globalThis.stargateExplainer ??= { runtimes: {} });
  shared.instances ??= 0;
  shared.live ??= [];
  shared.waiting ??= [];
  shared.kernelState ??= kernelState;
  return shared;
}

// The runtime's stylesheet, once per document (the static site's page already carries it).
function ensureStyle(doc) {
  if (doc.querySelector(`style[data-sg-style="${KEY}"]`)) return;
  doc.head.append(h("style", { "data-sg-style": KEY }, STYLESHEET));
}

// A model object for hosts without a kernel: anywidget's model interface over plain values.
export function localModel(values) {
  const data = new Map(Object.entries(values));
  const listeners = new Map();
  return {
    get: (name) => data.get(name),
    set(name, value) {
      data.set(name, value);
      for (const callback of [...(listeners.get(`change:${name}`) || [])]) callback();
    },
    on(name, callback) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(callback);
    },
    off(name, callback) {
      listeners.get(name)?.delete(callback);
    },
    save_changes() {},
    send() {},
  };
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function readState(model) {
  const state = {};
  for (const key of STATE_KEYS) {
    const value = model.get(key);
    if (value !== undefined) state[key] = value;
  }
  return state;
}

function parsePage(text) {
  try {
    return typeof text === "string" ? JSON.parse(text) : text;
  } catch (error) {
    return { problems: { file: "?", count: 1, items: [`page model: ${error.message}`] }, ui: null };
  }
}

// One drawing of the explainer in `el`, driven by `model`.
// `address`: how the page's address follows the state: "query" (the Voilà dashboard), "hash" (the
//   static site) or "" (a notebook output: the address is the notebook's).
// `ownsPage`: the host is the whole page (its theme is the page's theme).
// `kernel`: "none" (no kernel will come), "pending", "attached", "off" or "lost" (the Voilà page).
export function createInstance({ el, pageText, model, address = "", ownsPage = false, kernel = "none" }) {
  const doc = el.ownerDocument;
  ensureStyle(doc);
  const pageModel = parsePage(pageText);
  if (pageModel.problems) {
    el.replaceChildren(errorPanel(pageModel, model.get("lang") || "en"));
    return { attach() {}, detach() {}, dispose: () => el.replaceChildren() };
  }
  performance.mark("sg-render-start");
  const page = makePage(pageModel);
  const prefix = `sg${++registry().instances}`;
  let ids = 0;
  let state = normaliseState(page, readState(model));
  // The page's own language (the static site's ja/ page; the language a Voilà reader's browser
  // asked for): an address that names no language opens in it, and an address in the other
  // language names it, since a link omits what is the default.
  const hostLang = state.lang;
  const hostDefaults = { ...DEFAULT_STATE, lang: hostLang };
  const linked = () => {
    const text = (address === "hash" ? location.hash : address === "query" ? location.search : "").replace(/^[?#]/, "");
    return text ? parseLink(text, hostDefaults) : null;
  };
  const opening = linked();
  if (opening) state = normaliseState(page, { ...opening, embed: state.embed || opening.embed });

  let setting = false;
  let width = 0;
  // A drawing per language: the shell and the views made in it. A language switch shows the
  // other language's drawing, made once and then kept, so a reader who goes back and forth
  // waits once; what changed while a drawing was not shown is drawn when it is shown again.
  const drawings = new Map(); // lang → { ctx, shell, views, pending (per view), missed }
  let current = null;
  // Kept across a change of language: a live region must be in the page before what it says
  // changes.
  const announcer = createAnnouncer();

  // The address of a state: in the query (Voilà), after `#` (the static site), or a bare query
  // where the page owns no address (a notebook).
  const addressFor = (target) => {
    let text = writeLink(target);
    if (target.lang !== hostLang && target.lang === DEFAULT_STATE.lang) text = [text, `${LANG_LINK}=${target.lang}`].filter(Boolean).join("&");
    if (!address) return text ? `?${text}` : "?";
    const url = new URL(location.href);
    if (address === "hash") url.hash = text;
    else {
      url.search = text ? `?${text}` : "";
      url.hash = "";
    }
    return url.href;
  };

  // What the page tells the kernel and the address bar follows the drawing, once the reader has
  // seen it: a change is drawn first, then (after the frame) its traits are saved and the
  // address written. A slider's moves replace the history entry; any other choice adds one, so
  // the browser's back and forward buttons step through the reader's choices.
  const unsaved = new Set();
  let step = false;
  let frame = 0;
  let timer = 0;
  const cancelSync = () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = timer = 0;
  };
  const sync = () => {
    cancelSync();
    if (unsaved.size) model.save_changes();
    unsaved.clear();
    if (address) {
      const href = addressFor(state);
      if (href !== location.href) {
        if (step) history.pushState(null, "", href);
        else history.replaceState(history.state, "", href);
      }
    }
    step = false;
  };
  const later = () => {
    if (!frame && !timer) frame = requestAnimationFrame(() => (timer = setTimeout(sync, 0)));
  };
  const pushTraits = (keys, now = false) => {
    setting = true;
    try {
      for (const key of keys) {
        model.set(key, state[key]);
        unsaved.add(key);
      }
    } finally {
      setting = false;
    }
    if (now) sync();
    else if (unsaved.size) later();
  };

  const ctx = {
    page,
    el,
    get model() {
      return model;
    },
    addressMode: address,
    ownsPage,
    get kernel() {
      return kernel;
    },
    // The reader's choices that are not view state (the theme chosen in the tools).
    prefs: { theme: null },
    get state() {
      return state;
    },
    get width() {
      return width;
    },
    // A new element id, unique in the page however many drawings it holds.
    uid: (name) => `${prefix}-${name}-${++ids}`,
    // Say `text` to a screen reader through the drawing's one polite live region.
    announce: (text) => announcer.say(text, state.lang),
    shareLink: (overrides = {}) => addressFor({ ...state, ...overrides }),
    // Change the view state: normalised against the data, pushed to the model (and so to
    // Python and the address bar), then drawn.
    set(changes) {
      apply(changes, "reader");
    },
  };

  // `source`: "reader" (the page's controls), "model" (a trait set from Python) or "history"
  // (the browser's back and forward).
  const apply = (changes, source) => {
    const next = normaliseState(page, { ...state, ...changes });
    const changed = new Set(STATE_KEYS.filter((key) => !same(next[key], state[key])));
    // What was asked for but the data cannot honour is written back, so the model and the
    // page agree.
    for (const key of Object.keys(changes)) if (STATE_KEYS.includes(key) && !same(next[key], changes[key])) changed.add(key);
    state = next;
    if (source === "reader") step ||= [...changed].some((key) => !CONTINUOUS.includes(key));
    if (source !== "model" || changed.size) pushTraits(changed);
    if (!changed.size) return;
    if (changed.has("embed")) return rebuild();
    for (const drawing of drawings.values()) if (drawing !== current) for (const key of changed) drawing.missed.add(key);
    if (changed.has("lang")) {
      show(state.lang);
      ctx.announce(current.ctx.t("announce.language"));
      return;
    }
    // Every view but the one drawn now keeps what changed for when it is shown; a view about
    // to be shown again (back two steps changes the view and the currency at once) too.
    for (const [key, keys] of current.pending) if (key !== state.view || changed.has("view")) for (const name of changed) keys.add(name);
    if (changed.has("view")) {
      showView();
      ctx.announce(current.ctx.t("announce.view", { view: current.ctx.t(`view.${state.view}`) }));
    } else current.views.get(state.view)?.update(changed);
    current.shell.update(changed);
  };

  const drawingFor = (lang) => {
    if (!drawings.has(lang)) {
      const local = Object.assign(Object.create(ctx), { t: makeText(pageModel.ui, lang), lang });
      const shell = createShell(local, { onResize: resized });
      drawings.set(lang, { ctx: local, shell, views: new Map(), pending: new Map(), missed: new Set() });
    }
    return drawings.get(lang);
  };

  const viewFor = (key) => {
    const { views, pending, shell, ctx: local } = current;
    if (!views.has(key)) {
      const view = VIEW_FACTORIES[key](local);
      views.set(key, view);
      pending.set(key, new Set());
      shell.main.append(view.el);
    }
    return views.get(key);
  };

  // The current view shown; a view that was hidden draws what changed meanwhile.
  const showView = () => {
    for (const [key, view] of current.views) view.el.hidden = key !== state.view;
    const view = viewFor(state.view);
    view.el.hidden = false;
    const missed = current.pending.get(state.view);
    if (view.width !== width) view.resize();
    else if (missed.size) view.update(missed);
    missed.clear();
    current.shell.update(new Set(["view"]));
  };

  // The drawing of `lang` in place of the one shown; keyboard focus stays on the language
  // switch.
  const show = (lang) => {
    const previous = current;
    const focused = previous && previous.shell.el.contains(doc.activeElement);
    current = drawingFor(lang);
    // The drawings take turns beside the live region, which stays in place.
    if (previous?.shell.el.parentNode === el) previous.shell.el.replaceWith(current.shell.el);
    else el.replaceChildren(current.shell.el, announcer.el);
    if (!width) width = current.shell.main.clientWidth || el.clientWidth || 1000;
    for (const [key, keys] of current.pending) for (const name of current.missed) keys.add(name);
    showView();
    if (current.missed.size) current.shell.update(current.missed);
    current.missed.clear();
    if (focused) current.shell.el.querySelector(`[data-lang="${lang}"]`)?.focus();
  };

  const disposeDrawings = () => {
    for (const drawing of drawings.values()) {
      for (const view of drawing.views.values()) view.dispose?.();
      drawing.shell.dispose();
    }
    drawings.clear();
    current = null;
  };

  const rebuild = () => {
    disposeDrawings();
    show(state.lang);
  };

  const resized = (newWidth) => {
    // A detached or collapsed container (0 px) is not a width to draw at.
    if (newWidth < 100 || Math.abs(newWidth - width) < 2) return;
    width = newWidth;
    current?.views.get(state.view)?.resize();
  };

  const onTrait = () => {
    if (!setting) apply(readState(model), "model");
  };
  const bind = (target) => {
    for (const key of STATE_KEYS) target.on(`change:${key}`, onTrait);
  };
  const unbind = (target) => {
    for (const key of STATE_KEYS) target.off(`change:${key}`, onTrait);
  };
  // Back and forward restore the state their address holds.
  const onHistory = () => apply({ ...(linked() || hostDefaults), embed: state.embed }, "history");
  if (address) addEventListener(address === "hash" ? "hashchange" : "popstate", onHistory);
  if (address === "hash") addEventListener("popstate", onHistory);

  bind(model);
  rebuild();
  // The page's timeline keeps every entry: only the latest drawing's render time is kept.
  performance.clearMeasures("sg-render");
  performance.measure("sg-render", "sg-render-start");
  performance.clearMarks("sg-render-start");
  // The first state, normalised and possibly read from the address, goes to the model.
  const differing = () => new Set(STATE_KEYS.filter((key) => !same(state[key], model.get(key))));
  pushTraits(differing(), true);

  // The host element says where its kernel stands (`data-sg-kernel`), for the page and tests.
  const setKernel = (next) => {
    kernel = next;
    if (el.hasAttribute("data-sg-kernel")) el.dataset.sgKernel = next;
    for (const drawing of drawings.values()) drawing.shell.update(new Set(["kernel"]));
  };

  return {
    el,
    pageKey: el.dataset?.sgModel || "",
    // The widget's model takes over from the model the drawing started with: what the reader
    // chose meanwhile goes to its traits, and from now on Python's changes are drawn. Nothing
    // is redrawn unless the two disagree.
    attach(widgetModel) {
      unbind(model);
      model = widgetModel;
      bind(model);
      pushTraits(differing(), true);
      setKernel("attached");
    },
    // The kernel went away: the drawing goes on with a model of its own.
    detach(reason = "lost") {
      unbind(model);
      model = localModel(state);
      bind(model);
      setKernel(reason);
    },
    setKernel,
    dispose() {
      cancelSync();
      unbind(model);
      if (address) {
        removeEventListener("popstate", onHistory);
        removeEventListener("hashchange", onHistory);
      }
      disposeDrawings();
      announcer.dispose();
      el.replaceChildren();
    },
  };
}

// Every host element in `root` not drawn yet: the static site's page, a notebook's `show()`
// output, the Voilà page. Each names its page model's <script> (`data-sg-model`) and its opening
// state; a Voilà page's drawing then waits for its kernel's widget to take it over.
export function mountHosts(root = document) {
  const instances = [];
  for (const holder of root.querySelectorAll("[data-sg-host]:not([data-sg-started])")) {
    holder.setAttribute("data-sg-started", "");
    const source = root.querySelector(`script[data-sg-model="${CSS.escape(holder.dataset.sgModel)}"]`);
    const data = holder.dataset;
    const model = localModel({ lang: data.sgLang || DEFAULT_STATE.lang, view: data.sgView || DEFAULT_STATE.view, embed: data.sgEmbed === "1" });
    const address = data.sgAddress || "";
    const kernel = data.sgKernel || "none";
    const instance = createInstance({ el: holder, pageText: source ? source.textContent : "", model, address, ownsPage: Boolean(address), kernel });
    if (kernel !== "none") registry().live.push(instance);
    if (kernel === "pending") registry().waiting.push(instance);
    instances.push(instance);
  }
  return instances;
}

// The Voilà page says what became of its kernel: "off" when none could be had, "lost" when it
// went away. A drawing no kernel will take over stops waiting.
export function kernelState(next) {
  const { live, waiting } = registry();
  waiting.length = 0;
  for (const instance of live) instance.setKernel(next);
}

// The page model of `key`: in the page (a host's <script>), or asked of the kernel once per
// page and shared by every widget that needs it.
function pageText(key, ask) {
  const cache = (registry().pages ??= {});
  if (!cache[key]) {
    const inPage = key && document.querySelector(`script[data-sg-model="${CSS.escape(key)}"]`);
    cache[key] = inPage ? Promise.resolve(inPage.textContent) : ask("page");
  }
  return cache[key];
}

export default {
  async render({ model, el, signal, ask }) {
    const key = model.get("page_key");
    const { waiting } = registry();
    const index = waiting.findIndex((instance) => instance.pageKey === key);
    if (index >= 0) {
      const [drawn] = waiting.splice(index, 1);
      drawn.attach(model);
      return () => drawn.detach();
    }
    let text;
    try {
      text = await pageText(key, ask);
    } catch (error) {
      delete registry().pages[key];
      text = JSON.stringify({ problems: { file: "?", count: 1, items: [String(error.message || error)] }, ui: null });
    }
    if (signal?.aborted) return undefined;
    const instance = createInstance({ el, pageText: text, model });
    return () => instance.dispose();
  },
  mountHosts,
  kernelState,
  createInstance,
  localModel,
};
