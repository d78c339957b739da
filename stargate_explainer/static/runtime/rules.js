// The rules readers rely on: shares that always add up to 100, the total's stops, the
// illustrative year split, and the share link's grammar. stargate_explainer.funding and
// stargate_explainer.state implement the same rules for Python users; tests/test_parity.py
// runs both on the same cases.

import { FIELDS, LIMITS, PATTERNS } from "./fields.js";
import { roundHalfUp } from "./i18n.js";

export const TOTAL_STEP = 25; // US$ billions between the total slider's stops
export const YEARS = [2025, 2026, 2027, 2028];
export const VIEWS = FIELDS.find((field) => field.name === "view").choices;
export const SHARE_DIGITS = LIMITS.share_digits; // shares travel in links with this many decimals

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
// The fields, their link names, kinds and defaults come from stargate_explainer.state.FIELDS
// (fields.js is generated from it): one declaration of the view state for Python and the page.
const FULL = Object.fromEntries(Object.entries(PATTERNS).map(([kind, source]) => [kind, new RegExp(`^(?:${source})$`)]));
const TEXT_KINDS = ["code", "key", "month", "day"];
const OPTIONAL = [...TEXT_KINDS, "text"]; // "" is no value: left out of links

export const DEFAULT_STATE = Object.freeze(Object.fromEntries(FIELDS.map((field) => [field.name, field.default])));
export const STATE_KEYS = FIELDS.map((field) => field.name);
// Fields a slider sets: their moves replace the address's history entry instead of adding one.
export const CONTINUOUS = FIELDS.filter((field) => field.continuous).map((field) => field.name);

// The value a link's `text` gives `field` (null: absent); the default when malformed, so a
// link with a typo still opens.
function parseValue(field, text) {
  if (text === null) return field.default;
  if (field.kind === "choice") return field.choices.includes(text) ? text : field.default;
  if (TEXT_KINDS.includes(field.kind)) return FULL[field.kind].test(text) ? text : field.default;
  if (field.kind === "number") return FULL.number.test(text) ? Number(text) : field.default;
  if (field.kind === "split") return parseSplit(text);
  if (field.kind === "keys") return text.split(",").filter((key) => FULL.key.test(key));
  if (field.kind === "text") return text.length <= LIMITS.max_text ? text : field.default;
  return text === "1";
}

// `value` as a link writes it; null when it is the default (left out of links).
function linkText(field, value) {
  if (value === null || value === undefined || value === field.default) return null;
  if (OPTIONAL.includes(field.kind) && !value) return null;
  if (field.kind === "split") return Object.entries(value).map(([k, v]) => `${k}:${linkNumber(v)}`).join(",");
  if (field.kind === "number") return linkNumber(value);
  if (field.kind === "keys") return value.join(",");
  if (field.kind === "flag") return "1";
  return String(value);
}

// The view state a link carries (`?view=funding&currency=JPY` or the same after `#`); a field
// it leaves out takes `base`'s value (a page's own language, where that is not the default).
export function parseLink(text, base = DEFAULT_STATE) {
  const fields = String(text || "").replace(/^[?#]/, "").split("&").filter(Boolean);
  if (fields.length > LIMITS.max_fields) return { ...base };
  const values = new Map();
  for (const part of fields) {
    const at = part.indexOf("=");
    const name = decode(at < 0 ? part : part.slice(0, at));
    if (name !== null && !values.has(name)) values.set(name, decode(at < 0 ? "" : part.slice(at + 1)) ?? "");
  }
  return Object.fromEntries(FIELDS.map((field) => [field.name, values.has(field.link) ? parseValue(field, values.get(field.link)) : base[field.name]]));
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
    if (at < 0 || !FULL.key.test(key) || !FULL.number.test(number) || Object.hasOwn(split, key)) return null;
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
  for (const field of FIELDS) {
    const text = linkText(field, state[field.name]);
    if (text !== null) parts.push(`${field.link}=${encodeURIComponent(text).replace(/%2C/g, ",").replace(/%3A/g, ":")}`);
  }
  return parts.join("&");
}
