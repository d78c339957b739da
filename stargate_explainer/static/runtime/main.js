// The view runtime's entry: anywidget's front-end contract, `export default { render }`.
//
// `model` is any object with get/set/on/off/save_changes: the live widget's model in Voilà and
// JupyterLab (its traits are the view state, so Python can read, set and observe them), or the
// static page's small model object. Everything a reader sees and does is drawn here, from the
// page model in `model.get("page")`.

import { h } from "./dom.js";
import { makeText } from "./i18n.js";
import { makePage, normaliseState } from "./page.js";
import { parseLink, writeLink } from "./rules.js";
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

// View-state keys and the model's trait names (Python cannot name a trait `from`).
const TRAITS = {
  view: "view",
  lang: "lang",
  currency: "currency",
  preset: "preset",
  split: "split",
  total: "total",
  from: "date_from",
  to: "date_to",
  lanes: "lanes",
  node: "node",
  event: "event",
  embed: "embed",
};

function readTraits(model) {
  const state = {};
  for (const [key, trait] of Object.entries(TRAITS)) {
    const value = model.get(trait);
    if (value !== undefined) state[key] = value;
  }
  return state;
}

// Traits store "no value" as "" / null; the state uses the same, so this is a straight copy.
function toTrait(key, value) {
  if (key === "split") return value ? { ...value } : null;
  if (key === "lanes") return value ? [...value] : null;
  return value;
}

function parsePage(model) {
  const text = model.get("page");
  try {
    return typeof text === "string" ? JSON.parse(text) : text;
  } catch (error) {
    return { problems: { file: "?", count: 1, items: [`page model: ${error.message}`] }, ui: null };
  }
}

function addressMode(model) {
  const mode = model.get("address");
  if (mode === "hash" || mode === "query") return mode;
  return typeof window !== "undefined" && window.stargateVoila ? "query" : "";
}

export default {
  render({ model, el }) {
    // The runtime's own share of a page load, for `make bench` (performance.measure "sg-render").
    performance.mark("sg-render-start");
    const pageModel = parsePage(model);
    if (pageModel.problems) {
      el.replaceChildren(errorPanel(pageModel, readTraits(model).lang || "en"));
      return () => el.replaceChildren();
    }
    const page = makePage(pageModel);
    const mode = addressMode(model);
    let state = normaliseState(page, readTraits(model));
    if (mode) {
      const text = mode === "hash" ? window.location.hash : window.location.search;
      if (text.replace(/^[?#]/, "")) {
        const linked = parseLink(text);
        state = normaliseState(page, { ...linked, embed: state.embed || linked.embed });
      }
    }

    let setting = false;
    const views = new Map();
    let shell = null;
    let width = 0;

    // The address of a state: in the query (Voilà), after `#` (the static site), or a bare
    // query where the page owns no address (JupyterLab).
    const addressFor = (target) => {
      const text = writeLink(target);
      if (!mode) return text ? `?${text}` : "?";
      const url = new URL(window.location.href);
      if (mode === "hash") url.hash = text;
      else {
        url.search = text ? `?${text}` : "";
        url.hash = "";
      }
      return url.href;
    };
    const writeAddress = () => {
      if (!mode) return;
      const href = addressFor(state);
      if (href !== window.location.href) window.history.replaceState(window.history.state, "", href);
    };
    // The share link of the current state, changed by `overrides` (e.g. `{ embed: true }`).
    const shareLink = (overrides = {}) => addressFor({ ...state, ...overrides });

    const pushTraits = (changed) => {
      setting = true;
      try {
        for (const key of changed) model.set(TRAITS[key], toTrait(key, state[key]));
        if (changed.size) model.save_changes();
      } finally {
        setting = false;
      }
    };

    const ctx = {
      page,
      el,
      model,
      // How the page's address follows the state: "query" (Voilà), "hash" (static), "" (none).
      addressMode: mode,
      // Where the static site keeps the dataset's files ("" in the live dashboard).
      dataUrl: model.get("data_url") || "",
      get state() {
        return state;
      },
      get width() {
        return width;
      },
      shareLink,
      // Change the view state: normalised against the data, pushed to the model (and so to
      // Python and the address bar), then drawn.
      set(changes) {
        apply(changes, true);
      },
    };

    const apply = (changes, fromPage) => {
      const next = normaliseState(page, { ...state, ...changes });
      const changed = new Set(Object.keys(TRAITS).filter((key) => JSON.stringify(next[key]) !== JSON.stringify(state[key])));
      // What the reader asked for but the data cannot honour is written back, so the model and
      // the page agree.
      for (const key of Object.keys(changes)) if (key in TRAITS && JSON.stringify(next[key]) !== JSON.stringify(changes[key])) changed.add(key);
      state = next;
      if (fromPage || changed.size) pushTraits(changed);
      writeAddress();
      if (!changed.size) return;
      if (changed.has("lang") || changed.has("embed")) return rebuild();
      if (changed.has("view")) showView();
      const view = views.get(state.view);
      if (view) view.update(changed);
      shell.update(changed);
    };

    // What the shell and the views see: the page's context with the language's words.
    let localCtx = null;
    const viewFor = (key) => {
      if (!views.has(key)) {
        const view = VIEW_FACTORIES[key](localCtx);
        views.set(key, view);
        shell.main.append(view.el);
      }
      return views.get(key);
    };

    const showView = () => {
      for (const [key, view] of views) view.el.hidden = key !== state.view;
      const view = viewFor(state.view);
      view.el.hidden = false;
      if (view.width !== width) view.resize();
      shell.update(new Set(["view"]));
    };

    const rebuild = () => {
      for (const view of views.values()) view.dispose?.();
      views.clear();
      shell?.dispose();
      localCtx = Object.assign(Object.create(ctx), { t: makeText(pageModel.ui, state.lang), lang: state.lang });
      shell = createShell(localCtx, { onResize: resized });
      el.replaceChildren(shell.el);
      width = shell.main.clientWidth || el.clientWidth || 1000;
      showView();
    };

    const resized = (newWidth) => {
      // A detached or collapsed container (0 px) is not a width to draw at.
      if (newWidth < 100 || Math.abs(newWidth - width) < 2) return;
      width = newWidth;
      const view = views.get(state.view);
      if (view) view.resize();
    };

    const onTrait = () => {
      if (setting) return;
      apply(readTraits(model), false);
    };
    const traitEvents = Object.values(TRAITS).map((trait) => `change:${trait}`);
    for (const name of traitEvents) model.on(name, onTrait);

    rebuild();
    performance.measure("sg-render", "sg-render-start");
    // The first state, normalised and possibly read from the address, goes to the model.
    pushTraits(new Set(Object.keys(TRAITS).filter((key) => JSON.stringify(toTrait(key, state[key])) !== JSON.stringify(model.get(TRAITS[key])))));
    writeAddress();
    return () => {
      for (const name of traitEvents) model.off(name, onTrait);
      for (const view of views.values()) view.dispose?.();
      shell?.dispose();
      el.replaceChildren();
    };
  },
};

