// The page model with the lookups every view needs, built once per page, and the view state
// checked against it: a link that names what the data does not have opens the default instead.

import { DEFAULT_STATE, YEARS, acceptedSplit, presetShares, snapTotal } from "./rules.js";

export const LANES = ["plan", "deal", "site", "financing", "market", "policy", "dispute"];
export const STATUS_ORDER = ["confirmed", "reported", "unverified"];

export function leastCertain(statuses) {
  let worst = "confirmed";
  for (const status of statuses) if (STATUS_ORDER.indexOf(status) > STATUS_ORDER.indexOf(worst)) worst = status;
  return worst;
}

export function cited(groups) {
  const seen = new Set();
  for (const group of groups) for (const id of group || []) seen.add(id);
  return [...seen];
}

function byId(records) {
  const map = new Map();
  for (const record of records || []) map.set(record.id, record);
  return map;
}

// The key of a list of source ids, as the data-quality summary names a marked fact's lists.
const listKey = (ids) => (ids || []).join("\n");

// Each source with what the publishers table says of it (page_model.py: publisher, domain, kind,
// original, copies), and the kinds in the order of every source list: originals first.
function provenance(page) {
  const { data, derived } = page;
  page.sources = new Map(data.sources.map((source) => [source.id, { ...source, ...derived.sources[source.id] }]));
  page.sourceKinds = derived.source_kinds.map((k) => k.kind);
  page.originalKinds = derived.source_kinds.filter((k) => k.original).map((k) => k.kind);
  page.quality = derived.quality;
  const marked = new Map();
  for (const fact of derived.quality.marked) for (const ids of fact.lists) marked.set(listKey(ids), fact);
  page.kindRank = (source) => page.sourceKinds.indexOf(source.kind);
  // Whether a list of sources holds no original, and, when it is the list of a fact the data
  // marks `no_original`, that fact with its reason: what a source line, table or list shows.
  page.withoutOriginal = (ids) => {
    if (!ids || !ids.length || ids.some((id) => (page.sources.get(id) || {}).original)) return null;
    return marked.get(listKey(ids)) || { reason: null };
  };
}

// The Sources view's filter beside each kind: every original, or every other source.
export const SOURCE_GROUPS = ["originals", "others"];

export function makePage(model) {
  const data = model.data;
  const derived = model.derived;
  const page = {
    model,
    data,
    derived,
    orgs: byId(data.organisations),
    people: byId(data.people),
    events: byId(data.events),
    claims: byId(data.claims),
    commitments: byId(data.commitments),
    funders: derived.funders,
    presets: derived.presets,
  };
  provenance(page);
  page.announcement = page.events.get(derived.announcement);
  page.initial = page.events.get(derived.initial);
  page.announced = page.announcement.amount_usd_bn;
  page.initialAmount = page.initial.amount_usd_bn;
  page.currencies = Object.keys(derived.fx);
  page.eventsByDate = [...data.events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  page.lanes = LANES.filter((lane) => data.events.some((e) => e.lane === lane));
  const dates = page.eventsByDate.map((e) => e.date.slice(0, 7));
  page.firstMonth = dates[0];
  page.lastMonth = dates[dates.length - 1];
  page.marketDays = [...new Set(data.market_moves.map((m) => m.date))].sort();
  page.openingMarketDay = page.marketDays.find((d) => d > page.announcement.date) || page.marketDays[0];
  page.speaker = (id) => page.people.get(id) || page.orgs.get(id);
  page.years = YEARS;
  return page;
}

// The state as the views will show it: values the data cannot honour are dropped (so they are
// never shared either) and the total snaps to the slider's stops.
export function normaliseState(page, state) {
  const out = { ...DEFAULT_STATE, ...state };
  if (!page.currencies.includes(out.currency)) out.currency = "USD";
  const presetKeys = page.presets.map((p) => p.key);
  if (!presetKeys.includes(out.preset)) out.preset = "";
  if (out.split) {
    const split = acceptedSplit(out.split, page.funders);
    out.split = split;
    if (split) out.preset = "";
  }
  if (out.total !== null && out.total !== undefined) {
    const low = page.initialAmount;
    const high = page.announced;
    const total = Number(out.total);
    out.total = Number.isFinite(total) && total >= low && total <= high ? snapTotal(total, low, high) : null;
    if (out.total === high) out.total = null;
  }
  if (out.date_from && (out.date_from < page.firstMonth || out.date_from > page.lastMonth)) out.date_from = "";
  if (out.date_to && (out.date_to < page.firstMonth || out.date_to > page.lastMonth)) out.date_to = "";
  if (out.date_from && out.date_to && out.date_from > out.date_to) out.date_from = out.date_to = "";
  if (out.lanes) {
    const lanes = page.lanes.filter((lane) => out.lanes.includes(lane));
    out.lanes = lanes.length === page.lanes.length ? null : lanes;
  }
  if (out.node && !page.orgs.has(out.node)) out.node = "";
  if (out.event && !page.events.has(out.event)) out.event = "";
  if (out.market_day && !page.marketDays.includes(out.market_day)) out.market_day = "";
  if (out.source_kind && !SOURCE_GROUPS.includes(out.source_kind) && !page.sourceKinds.includes(out.source_kind)) out.source_kind = "";
  return out;
}

// The split the funding view shows for `state`: the reader's own, else the preset's shares.
export function splitFor(page, state) {
  if (state.split) return { preset: null, shares: { ...state.split } };
  const preset = page.presets.find((p) => p.key === state.preset) || page.presets[0];
  return { preset, shares: presetShares(preset, page.funders) };
}

export function totalFor(page, state) {
  return state.total === null || state.total === undefined ? page.announced : state.total;
}
