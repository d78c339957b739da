// The rules readers rely on: shares that always add up to 100, the total's stops, the
// illustrative year split, and the share link's grammar. stargate_explainer.funding and
// stargate_explainer.state implement the same rules for Python users; tests/test_parity.py
// runs both on the same cases.

import { roundHalfUp } from "./i18n.js";

export const TOTAL_STEP = 25; // US$ billions between the total slider's stops
export const SHARE_DIGITS = 2; // shares travel in links with this many decimals
export const YEARS = [2025, 2026, 2027, 2028];
export const VIEWS = ["org", "funding", "timeline", "markets", "claims", "sources"];

// Set `changed` to `value` % and scale the others in proportion so the total stays 100; when
// the others are all zero the remainder is split equally among them.
export function rebalance(shares, changed, value) {
  value = Math.min(100, Math.max(0, Number(value)));
  const names = Object.keys(shares);
  const others = names.filter((name) => name !== changed);
  if (!others.length) return { [changed]: 100 };
  const remainder = 100 - value;
  const otherTotal = others.reduce((sum, name) => sum + shares[name], 0);
  const result = {};
  for (const name of names) {
    if (name === changed) result[name] = value;
    else result[name] = otherTotal > 0 ? (remainder * shares[name]) / otherTotal : remainder / others.length;
  }
  return result;
}

// Shares rounded to `digits` decimals, the largest absorbing the rounding so the total stays
// exactly 100: the shares a link carries, so a shared split reopens exactly.
export function rounded(shares, digits = SHARE_DIGITS) {
  const result = {};
  for (const [name, share] of Object.entries(shares)) result[name] = roundHalfUp(share, digits);
  const names = Object.keys(result);
  if (names.length) {
    const largest = names.reduce((a, b) => (result[b] > result[a] ? b : a));
    const others = names.filter((n) => n !== largest).reduce((sum, n) => sum + result[n], 0);
    result[largest] = roundHalfUp(100 - others, digits);
  }
  return result;
}

// `total` on the slider's stops (`low` + a multiple of TOTAL_STEP) within [low, high].
export function snapTotal(total, low, high) {
  const stops = roundHalfUp((total - low) / TOTAL_STEP, 0);
  return Math.min(high, Math.max(low, low + stops * TOTAL_STEP));
}

// The illustration's years: the first carries the announced initial deployment (or the whole
// total if smaller), the other years share the rest equally. Rows: {year, funder, amount}.
export function perYear(total, shares, initial) {
  const first = Math.min(total, initial);
  const later = (total - first) / (YEARS.length - 1);
  const rows = [];
  YEARS.forEach((year, index) => {
    const yearTotal = index === 0 ? first : later;
    for (const [funder, share] of Object.entries(shares)) rows.push({ year, funder, amount: (yearTotal * share) / 100 });
  });
  return rows;
}

// A preset's values as shares of 100: reported shares as reported, with what was not reported
// split equally among the funders whose share was not reported; reported amounts as shares of
// their sum (funders without an amount get none); equal shares as they are.
export function presetShares(preset, funders) {
  const values = preset.values;
  const shares = {};
  if (preset.kind === "shares") {
    const reported = funders.filter((f) => f in values);
    const rest = Math.max(0, 100 - reported.reduce((sum, f) => sum + values[f], 0));
    const unreported = funders.filter((f) => !(f in values));
    for (const f of funders) shares[f] = f in values ? values[f] : unreported.length ? rest / unreported.length : 0;
  } else if (preset.kind === "amounts") {
    const sum = funders.reduce((total, f) => total + (values[f] || 0), 0);
    for (const f of funders) shares[f] = sum > 0 ? (100 * (values[f] || 0)) / sum : 100 / funders.length;
  } else {
    for (const f of funders) shares[f] = values[f] ?? 100 / funders.length;
  }
  return shares;
}

// A split the page can show: every funder named once, each 0–100, adding up to 100.
export function acceptedSplit(split, funders) {
  if (!split || typeof split !== "object" || Array.isArray(split)) return null;
  const names = Object.keys(split);
  if (names.length !== funders.length || !funders.every((f) => names.includes(f))) return null;
  const values = funders.map((f) => split[f]);
  if (!values.every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 100)) return null;
  const total = values.reduce((a, b) => a + b, 0);
  return Math.abs(total - 100) < 0.05 ? Object.fromEntries(funders.map((f) => [f, split[f]])) : null;
}

// --- the share link ------------------------------------------------------------------------
// ASCII only, as in stargate_explainer.state: digits of other scripts are not numbers here.
const KEY = /^[a-z0-9][a-z0-9_.-]{0,79}$/;
const CURRENCY = /^[A-Z]{3}$/;
const MONTH = /^(19|20|21)[0-9][0-9]-(0[1-9]|1[0-2])$/;
const NUMBER = /^[0-9]{1,6}(\.[0-9]{1,6})?$/;
const MAX_FIELDS = 32;

export const DEFAULT_STATE = Object.freeze({
  view: "org",
  lang: "en",
  currency: "USD",
  preset: "",
  split: null,
  total: null,
  from: "",
  to: "",
  lanes: null,
  node: "",
  event: "",
  embed: false,
});

// The view state a link carries (`?view=funding&currency=JPY` or the same after `#`). What is
// malformed falls back to the default, so a link with a typo still opens.
export function parseLink(text) {
  const state = { ...DEFAULT_STATE };
  const fields = String(text || "").replace(/^[?#]/, "").split("&").filter(Boolean);
  if (fields.length > MAX_FIELDS) return state;
  const values = new Map();
  for (const field of fields) {
    const at = field.indexOf("=");
    const name = decode(at < 0 ? field : field.slice(0, at));
    if (name !== null && !values.has(name)) values.set(name, decode(at < 0 ? "" : field.slice(at + 1)) ?? "");
  }
  const get = (name) => (values.has(name) ? values.get(name) : null);
  const view = get("view");
  if (VIEWS.includes(view)) state.view = view;
  if (["en", "ja"].includes(get("lang"))) state.lang = get("lang");
  if (CURRENCY.test(get("currency") || "")) state.currency = get("currency");
  if (KEY.test(get("preset") || "")) state.preset = get("preset");
  state.split = parseSplit(get("split") || "");
  if (NUMBER.test(get("total") || "")) state.total = Number(get("total"));
  if (MONTH.test(get("from") || "")) state.from = get("from");
  if (MONTH.test(get("to") || "")) state.to = get("to");
  const lanes = get("lanes");
  if (lanes !== null) state.lanes = lanes.split(",").filter((lane) => KEY.test(lane));
  if (KEY.test(get("node") || "")) state.node = get("node");
  if (KEY.test(get("event") || "")) state.event = get("event");
  state.embed = get("embed") === "1";
  return state;
}

function decode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch (error) {
    return null;
  }
}

// `openai:40,softbank:40` as a mapping; the whole split is dropped if any part is malformed or
// a funder repeats, since half a split is not what the sender saw.
function parseSplit(text) {
  if (!text) return null;
  const split = {};
  for (const part of text.split(",")) {
    const at = part.indexOf(":");
    const key = part.slice(0, at);
    const number = part.slice(at + 1);
    if (at < 0 || !KEY.test(key) || !NUMBER.test(number) || Object.hasOwn(split, key)) return null;
    split[key] = Number(number);
  }
  return split;
}

// Shortest text for a share or total rounded to SHARE_DIGITS ("40", "33.33").
export function linkNumber(value) {
  return roundHalfUp(value, SHARE_DIGITS).toFixed(SHARE_DIGITS).replace(/0+$/, "").replace(/\.$/, "");
}

// The link text of `state`, leaving out every value that equals its default so links stay
// short and a default changed later still applies to old links.
export function writeLink(state) {
  const parts = [];
  const add = (name, value) => parts.push(`${name}=${encodeURIComponent(value).replace(/%2C/g, ",").replace(/%3A/g, ":")}`);
  if (state.view !== DEFAULT_STATE.view) add("view", state.view);
  if (state.lang !== DEFAULT_STATE.lang) add("lang", state.lang);
  if (state.currency !== DEFAULT_STATE.currency) add("currency", state.currency);
  if (state.preset) add("preset", state.preset);
  if (state.split) add("split", Object.entries(state.split).map(([k, v]) => `${k}:${linkNumber(v)}`).join(","));
  if (state.total !== null && state.total !== undefined) add("total", linkNumber(state.total));
  if (state.from) add("from", state.from);
  if (state.to) add("to", state.to);
  if (state.lanes) add("lanes", state.lanes.join(","));
  if (state.node) add("node", state.node);
  if (state.event) add("event", state.event);
  if (state.embed) add("embed", "1");
  return parts.join("&");
}
