// Pieces several views share: the view's contract with main.js, its heading and first line,
// status and verdict badges, and the funders' colours.

import { h } from "./dom.js";

// Okabe–Ito: distinguishable with the common colour-vision deficiencies.
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#7a7a7a"];
export const UNDISCLOSED = "var(--sg-grey)";

export function funderColours(page) {
  return Object.fromEntries(page.funders.map((funder, index) => [funder, PALETTE[index % PALETTE.length]]));
}

// A view as main.js drives it: `draw()` draws all of it at the drawing's width (when it is
// first shown and when the width changes), `update(changed)` redraws what the changed state
// keys touch.
export function viewOf(ctx, el, draw, update = () => {}) {
  const view = {
    el,
    width: 0,
    resize() {
      view.width = ctx.width;
      draw();
    },
    update,
  };
  return view;
}

export function viewHeader(ctx, key) {
  const { t } = ctx;
  return h("header", { class: "sg-view-header" }, h("h2", {}, t(`view.${key}`)), h("p", { class: "sg-lede" }, t(`narrative.${key}`)));
}

// How well a record is attested (status) — one question.
export function badge(t, status) {
  return h("span", { class: `sg-badge sg-status-${status}`, title: t("status.help") }, t("status.label"), " ", t.term("status", status));
}

// Whether a claim holds (verdict) — the other question.
export function verdictBadge(t, verdict) {
  return h("span", { class: `sg-badge sg-verdict sg-verdict-${verdict}`, title: t("verdict.help") }, t("verdict.label"), " ", t.term("verdict", verdict));
}
