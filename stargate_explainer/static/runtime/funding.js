// Who pays: first what is known (the announced total, the reported equity and what is not
// disclosed, as one chart that adds up; the reported shares), then a "what if" section whose
// every chart says "illustration", then the scale against other US programmes.

import { h, setRange } from "./dom.js";
import { formatDate, formatMoney, formatNumber, formatPercent, moneyScale, pick } from "./i18n.js";
import { cited, leastCertain, splitFor, totalFor } from "./page.js";
import { TOTAL_STEP, perYear, rebalance, rounded } from "./rules.js";
import { barChart, chartFrame, columnChart, stackedBars } from "./chart.js";
import { badge, funderColours, UNDISCLOSED, viewHeader, viewOf } from "./common.js";

const PERCENT = { divisor: 1, tick: (v) => formatNumber(v, 0) + "%", title: "" };

export function createFundingView(ctx) {
  const { t, page, lang } = ctx;
  const colours = funderColours(page);
  const name = (id) => pick(page.orgs.get(id).name, lang);
  const el = h("section", { class: "sg-view sg-view-funding", "data-view": "funding" });
  el.append(viewHeader(ctx, "funding"));

  // --- what is known --------------------------------------------------------------------------
  el.append(h("h3", { class: "sg-section-title" }, t("funding.known_title")));
  const known = chartFrame(ctx, { key: "funding-known", title: t("funding.known_chart", { total: formatMoney(page.announced, lang) }), subtitle: t("funding.known_subtitle") });
  const shares = chartFrame(ctx, { key: "funding-shares", title: t("funding.shares_chart"), subtitle: t("funding.shares_subtitle") });
  el.append(known.el, shares.el);

  // --- what if --------------------------------------------------------------------------------
  const whatIfTitle = ctx.uid("what-if-title");
  const whatIf = h("section", { class: "sg-what-if", "aria-labelledby": whatIfTitle });
  whatIf.append(
    h("h3", { class: "sg-section-title", id: whatIfTitle }, h("span", { class: "sg-illustration-tag" }, t("chart.illustration")), t("funding.what_if_title")),
    h("p", { class: "sg-lede" }, t("funding.what_if_intro"))
  );
  // Options, labels and titles are fixed for the view's life (a new language rebuilds it).
  const presetSelect = h(
    "select",
    { "data-control": "preset", id: ctx.uid("preset") },
    ...page.presets.map((preset) => h("option", { value: preset.key }, presetLabel(ctx, preset))),
    h("option", { value: "custom" }, t("funding.custom"))
  );
  const presetStatus = h("span", { class: "sg-preset-status" });
  const sliders = new Map();
  const shareBox = h("div", { class: "sg-shares" });
  for (const funder of page.funders) {
    const input = h("input", { type: "range", min: 0, max: 100, step: 0.5, "data-control": "share", "data-funder": funder, id: ctx.uid(`share-${funder}`), style: `--sg-thumb:${colours[funder]}` });
    const output = h("output", { for: input.id, class: "sg-nw" });
    const label = h("label", { for: input.id }, h("span", { class: "sg-swatch", style: `background:${colours[funder]}` }), name(funder));
    shareBox.append(h("div", { class: "sg-range-row" }, label, input, output));
    sliders.set(funder, { input, output });
    input.addEventListener("input", () => {
      const next = rounded(rebalance(currentShares(), funder, Number(input.value)));
      ctx.set({ split: next, preset: "" });
    });
  }
  const sumLine = h("p", { class: "sg-sum" });
  const totalInput = h("input", { type: "range", min: page.initialAmount, max: page.announced, step: TOTAL_STEP, "data-control": "total", id: ctx.uid("total") });
  const totalOutput = h("output", { for: totalInput.id, class: "sg-nw" });
  const totalLabel = h("label", { for: totalInput.id }, t("funding.total"));
  totalInput.addEventListener("input", () => ctx.set({ total: Number(totalInput.value) }));
  const currencyButtons = page.currencies.map((code) =>
    h("button", { type: "button", role: "radio", "data-control": "currency", "data-currency": code, title: t.term("currency", code), onclick: () => ctx.set({ currency: code }) }, t.term("currency_short", code))
  );
  const currencyGroup = h("div", { class: "sg-segmented", role: "radiogroup", "aria-label": t("funding.currency") }, ...currencyButtons);
  currencyGroup.addEventListener("keydown", (event) => {
    if (!["ArrowLeft", "ArrowRight"].includes(event.key)) return;
    const index = page.currencies.indexOf(ctx.state.currency);
    const next = page.currencies[(index + (event.key === "ArrowRight" ? 1 : page.currencies.length - 1)) % page.currencies.length];
    ctx.set({ currency: next });
    currencyButtons[page.currencies.indexOf(next)].focus();
    event.preventDefault();
  });
  const fxNote = h("p", { class: "sg-note" });
  const presetNote = h("p", { class: "sg-note", "data-panel": "preset-note" });
  presetSelect.addEventListener("change", () => {
    const key = presetSelect.value;
    if (key === "custom") return;
    ctx.set({ preset: key, split: null });
  });
  whatIf.append(
    h(
      "div",
      { class: "sg-controls" },
      h("div", { class: "sg-control" }, h("label", { for: presetSelect.id }, t("funding.preset")), presetSelect, presetStatus),
      presetNote,
      shareBox,
      sumLine,
      h("div", { class: "sg-range-row sg-total-row" }, totalLabel, totalInput, totalOutput),
      h("div", { class: "sg-control" }, h("span", { class: "sg-control-label" }, t("funding.currency")), currencyGroup),
      fxNote
    )
  );
  const perFunder = chartFrame(ctx, { key: "funding-per-funder", title: t("funding.per_funder"), illustration: true });
  const perYearFrame = chartFrame(ctx, { key: "funding-per-year", title: t("funding.per_year"), illustration: true, note: t("funding.year_note") });
  whatIf.append(perFunder.el, perYearFrame.el);
  el.append(whatIf);

  // --- scale: every programme in one dollar-year, and shares of GDP ------------------------------
  const comparisons = page.derived.comparisons;
  let scale = null;
  let gdp = null;
  if (comparisons) {
    el.append(h("h3", { class: "sg-section-title" }, t("funding.scale_title")));
    const omitted = comparisons.omitted.map((o) => `${shortName(pick(o.name, lang))} (${t(`funding.omitted_${o.reason}`, { year: o.year ?? "" })})`);
    scale = chartFrame(ctx, {
      key: "funding-scale",
      title: t("funding.scale", { year: comparisons.base_year }),
      note: [t("funding.scale_note", { year: comparisons.base_year, index: comparisons.index_name }), omitted.length ? t("funding.omitted", { list: omitted.join(lang === "ja" ? "、" : "; ") }) : ""].filter(Boolean).join(" "),
    });
    el.append(scale.el);
    if (comparisons.gdp_stargate) {
      gdp = chartFrame(ctx, { key: "funding-gdp", title: t("funding.gdp_share"), note: t("funding.gdp_note", { years: `${comparisons.spending_years[0]}–${comparisons.spending_years.at(-1)}` }) });
      el.append(gdp.el);
    } else {
      el.append(h("p", { class: "sg-note", "data-panel": "gdp-missing" }, t("funding.gdp_missing", { years: `${comparisons.spending_years[0]}–${comparisons.spending_years.at(-1)}` })));
    }
  }

  function currentShares() {
    return splitFor(page, ctx.state).shares;
  }

  function fx() {
    return page.derived.fx[ctx.state.currency];
  }

  // What the "what if" charts are drawn from: the split, the total, the currency and its rate,
  // and the sources and status behind them (the announced total, the exchange rate, and the
  // reported preset the shares came from).
  function whatIfInputs() {
    const state = ctx.state;
    const split = splitFor(page, state);
    const reported = split.preset && split.preset.kind !== "equal";
    return {
      split,
      total: totalFor(page, state),
      rate: fx().rate,
      currency: state.currency,
      ids: cited([page.announcement.sources, fx().sources, reported ? split.preset.sources : []]),
      status: leastCertain([page.announcement.status, ...(reported ? [split.preset.status] : [])]),
    };
  }

  // One funder's part of a bar: its value, colour, label and attestation.
  function reportedSegment(c, value, text) {
    return {
      value,
      colour: colours[c.org_id],
      label: `${name(c.org_id)} ${text}`,
      tooltip: [`${name(c.org_id)}: ${text}`, `${t.term("status", c.status)} · ${formatDate(c.as_of, lang)}`],
    };
  }

  // The equity as it stood on each date a figure of `kind` ("amounts", "shares") was reported
  // (page_model.equity_reports: a superseded figure stands until its replacement's date): a
  // bar per date, each funder's segment, and `rest(report)` — the part no funder's figure
  // covers, as a segment and, where it has one, a table row — with the table behind them.
  function standingBars(kind, field, format, rest) {
    const rows = [];
    const table = { rows: [], statuses: [], sources: [] };
    const addRow = (row, status, ids) => {
      table.rows.push(row);
      table.statuses.push(status);
      table.sources.push(ids);
    };
    for (const report of page.derived.equity[kind]) {
      const standing = report.records.map((id) => page.commitments.get(id));
      const asOf = formatDate(report.as_of, lang);
      const segments = standing.map((c) => reportedSegment(c, c[field], format(c[field])));
      for (const c of standing) addRow([asOf, name(c.org_id), c[field], formatDate(c.as_of, lang)], c.status, c.sources);
      const remainder = rest(report);
      if (remainder) {
        segments.push({ hatch: true, colour: UNDISCLOSED, ...remainder.segment });
        if (remainder.row) addRow([asOf, ...remainder.row], page.announcement.status, page.announcement.sources);
      }
      rows.push({ label: t("funding.as_of", { date: asOf }), segments });
    }
    const columns = (valueColumn) => [
      { key: "as_of", label: t("column.as_of"), kind: "date" },
      { key: "funder", label: t("column.funder") },
      valueColumn,
      { key: "reported_on", label: t("column.reported_on"), kind: "date" },
    ];
    return { rows, table, columns };
  }

  function drawKnown() {
    const { rows, table, columns } = standingBars("amounts", "amount_usd_bn", (v) => formatMoney(v, lang), (report) => {
      const undisclosed = Math.max(0, page.announced - report.total);
      const text = formatMoney(undisclosed, lang);
      return {
        segment: { value: undisclosed, label: `${t("funding.undisclosed")} ${text}`, tooltip: [t("funding.undisclosed"), text, t("funding.undisclosed_note")] },
        row: [t("funding.undisclosed"), undisclosed, ""],
      };
    });
    const svg = stackedBars({
      width: ctx.width,
      uid: ctx.uid,
      rows,
      unit: moneyScale(page.announced, lang, "USD"),
      total: page.announced,
      markers: [
        { value: page.initialAmount, label: t("funding.initial_marker", { amount: formatMoney(page.initialAmount, lang) }) },
        { value: page.announced, label: t("funding.announced_marker", { amount: formatMoney(page.announced, lang) }) },
      ],
    });
    const amount = { key: "amount_usd_bn", label: t("column.amount_usd_bn"), kind: "number", format: (v) => formatMoney(v, lang) };
    known.draw({ svg, columns: columns(amount), ...table });
  }

  function drawShares() {
    const { rows, table, columns } = standingBars("shares", "share_pct", (v) => formatPercent(v, 1), (report) => {
      if (report.total >= 100) return null;
      const rest = t("funding.not_reported", { names: report.unreported.map(name).join(lang === "ja" ? "、" : ", ") });
      return { segment: { value: 100 - report.total, label: `${rest} ${formatPercent(100 - report.total, 0)}`, tooltip: [rest, formatPercent(100 - report.total, 1)] } };
    });
    if (!rows.length) {
      shares.el.hidden = true;
      return;
    }
    const share = { key: "share_pct", label: t("column.share_pct"), kind: "number", format: (v) => formatPercent(v, 1) };
    shares.draw({ svg: stackedBars({ width: ctx.width, rows, unit: PERCENT, total: 100, uid: ctx.uid }), columns: columns(share), ...table });
  }

  function drawControls() {
    const state = ctx.state;
    const split = splitFor(page, state);
    presetSelect.value = split.preset ? split.preset.key : "custom";
    presetStatus.replaceChildren(split.preset && split.preset.kind !== "equal" ? badge(t, split.preset.status) : "");
    const unreported = split.preset ? split.preset.unreported.map(name) : [];
    presetNote.textContent = !split.preset
      ? ""
      : split.preset.kind === "shares" && unreported.length
        ? t("funding.preset_unreported", { names: unreported.join(lang === "ja" ? "、" : ", ") })
        : split.preset.kind === "amounts"
          ? t("funding.preset_amounts_note")
          : "";
    for (const [funder, { input, output }] of sliders) {
      setRange(input, split.shares[funder]);
      output.textContent = formatPercent(split.shares[funder], 1);
      input.setAttribute("aria-valuetext", output.textContent);
    }
    const sum = Object.values(split.shares).reduce((a, b) => a + b, 0);
    sumLine.textContent = t("funding.shares_sum", { total: formatNumber(sum, 1) });
    const total = totalFor(page, state);
    const rate = fx().rate;
    setRange(totalInput, total);
    totalOutput.textContent = formatMoney(total, lang, state.currency, rate);
    totalInput.setAttribute("aria-valuetext", totalOutput.textContent);
    for (const button of currencyButtons) {
      const on = button.dataset.currency === state.currency;
      button.setAttribute("aria-checked", String(on));
      button.tabIndex = on ? 0 : -1;
    }
    fxNote.textContent = state.currency === "USD" ? "" : t("funding.fx_note", { rate: `${formatNumber(rate, 4)} ${state.currency}/USD`, date: formatDate(fx().date, lang) });
  }

  function drawPerFunder() {
    const { split, total, rate, currency, ids, status } = whatIfInputs();
    const amounts = page.funders.map((f) => (total * split.shares[f]) / 100);
    const unit = moneyScale(Math.max(...amounts) * rate, lang, currency);
    const rows = page.funders.map((f, i) => ({
      id: f,
      label: name(f),
      value: amounts[i] * rate,
      colour: colours[f],
      valueText: `${unit.format(amounts[i] * rate)} (${formatPercent(split.shares[f], 1)})`,
      tooltip: [name(f), `${unit.format(amounts[i] * rate)} · ${formatPercent(split.shares[f], 1)}`, t("chart.illustration")],
    }));
    perFunder.draw({
      svg: barChart({ width: ctx.width, rows, unit, uid: ctx.uid }),
      columns: [
        { key: "funder", label: t("column.funder") },
        { key: "share_pct", label: t("column.share_pct"), kind: "number", format: (v) => formatPercent(v, 2) },
        { key: "amount_bn", label: t("column.amount_bn", { unit: unit.title }), kind: "number", format: (v) => unit.format(v) },
        { key: "currency", label: t("column.currency") },
      ],
      rows: page.funders.map((f, i) => [name(f), split.shares[f], amounts[i] * rate, currency]),
      statuses: page.funders.map(() => status),
      sources: page.funders.map(() => ids),
    });
  }

  function drawPerYear() {
    const { split, total, rate, currency, ids, status } = whatIfInputs();
    const rows = perYear(total, split.shares, page.initialAmount);
    const yearIds = cited([ids, page.initial.sources]);
    const yearStatus = leastCertain([status, page.initial.status]);
    const yearTotals = page.years.map((year) => rows.filter((r) => r.year === year).reduce((a, r) => a + r.amount, 0) * rate);
    const unit = moneyScale(Math.max(...yearTotals), lang, currency);
    const columns = page.years.map((year, index) => ({
      label: String(year),
      totalText: unit.format(yearTotals[index]),
      segments: page.funders.map((f) => {
        const amount = rows.find((r) => r.year === year && r.funder === f).amount * rate;
        return { value: amount, colour: colours[f], tooltip: [`${year} · ${name(f)}`, unit.format(amount), t("chart.illustration")] };
      }),
    }));
    perYearFrame.draw({
      svg: columnChart({ width: ctx.width, columns, unit, legend: page.funders.map((f) => ({ label: name(f), colour: colours[f] })) }),
      columns: [
        { key: "year", label: t("column.year") },
        { key: "funder", label: t("column.funder") },
        { key: "amount_bn", label: t("column.amount_bn", { unit: unit.title }), kind: "number", format: (v) => unit.format(v) },
        { key: "currency", label: t("column.currency") },
      ],
      rows: rows.map((r) => [r.year, name(r.funder), r.amount * rate, currency]),
      statuses: rows.map(() => yearStatus),
      sources: rows.map(() => yearIds),
    });
  }

  function drawScale() {
    if (!scale) return;
    const stargateColour = colours[page.funders[0]];
    const items = [...comparisons.programmes, { ...comparisons.stargate, stargate: true }].sort((a, b) => a.value - b.value);
    const unit = moneyScale(Math.max(...items.map((p) => p.value)), lang, "USD");
    scale.draw({
      svg: barChart({
        width: ctx.width,
        uid: ctx.uid,
        unit,
        rows: items.map((p) => ({
          label: shortName(pick(p.name, lang)),
          value: p.value,
          colour: p.stargate ? stargateColour : "var(--sg-grey)",
          valueText: unit.format(p.value),
          tooltip: [pick(p.name, lang), unit.format(p.value), p.original ? t("funding.converted_from", { amount: formatMoney(p.original.value, lang), year: p.original.year }) : p.period].filter(Boolean),
        })),
      }),
      columns: [
        { key: "name", label: t("column.name") },
        { key: "period", label: t("column.period") },
        { key: "original_usd_bn", label: t("column.original_usd_bn"), kind: "number", format: (v) => (v === null ? "—" : formatMoney(v, lang)) },
        { key: "original_year", label: t("column.original_year") },
        { key: "amount_usd_bn", label: t("column.amount_in_year", { year: comparisons.base_year }), kind: "number", format: (v) => unit.format(v) },
      ],
      rows: items.map((p) => [pick(p.name, lang), p.period || "", p.original ? p.original.value : p.stargate ? page.announced : null, p.original ? p.original.year : 2025, p.value]),
      statuses: items.map((p) => p.status),
      sources: items.map((p) => p.sources),
    });
    if (!gdp) return;
    const shares = [...comparisons.gdp_programmes, { ...comparisons.gdp_stargate, stargate: true }].sort((a, b) => a.value - b.value);
    gdp.draw({
      svg: barChart({
        width: ctx.width,
        uid: ctx.uid,
        unit: { divisor: 1, tick: (v) => formatNumber(v, 2) + "%", title: t("funding.gdp_axis") },
        rows: shares.map((p) => ({
          label: shortName(pick(p.name, lang)),
          value: p.value,
          colour: p.stargate ? stargateColour : "var(--sg-grey)",
          valueText: formatPercent(p.value, 2),
          tooltip: [pick(p.name, lang), formatPercent(p.value, 2)],
        })),
      }),
      columns: [
        { key: "name", label: t("column.name") },
        { key: "peak_gdp_share_pct", label: t("column.peak_gdp_share_pct"), kind: "number", format: (v) => formatPercent(v, 2) },
      ],
      rows: shares.map((p) => [pick(p.name, lang), p.value]),
      statuses: shares.map((p) => p.status),
      sources: shares.map((p) => p.sources),
    });
  }

  const drawAll = () => {
    drawKnown();
    drawShares();
    drawControls();
    drawPerFunder();
    drawPerYear();
    drawScale();
  };
  // Only the charts whose data changed are redrawn: a share moves two charts, not six.
  return viewOf(ctx, el, drawAll, (changed) => {
    if (["preset", "split", "total", "currency"].some((key) => changed.has(key))) {
      drawPerFunder();
      drawPerYear();
      drawControls();
      // A screen reader hears the new shares and their sum (a slider moves the others too), or
      // the total.
      const [comma, stop] = lang === "ja" ? ["、", "。"] : [", ", ". "];
      const shares = [...sliders].map(([funder, { output }]) => `${name(funder)} ${output.textContent}`);
      ctx.announce(changed.has("split") || changed.has("preset") ? `${shares.join(comma)}${stop}${sumLine.textContent}` : `${t("funding.total")}: ${totalOutput.textContent}`);
    }
  });
}

// A chart label without the record's parenthetical (the dollar-year a source used), which the
// tooltip and the table keep.
function shortName(name) {
  return name.replace(/\s*[（(][^()（）]*[)）]\s*$/, "");
}

// How a preset is offered: what kind of reported fact it is, as of when, and how well attested.
export function presetLabel(ctx, preset) {
  const { t, lang } = ctx;
  if (preset.kind === "equal") return t("funding.equal");
  const date = formatDate(preset.as_of, lang);
  return `${t(`funding.preset_${preset.kind}`, { date })} · ${t.term("status", preset.status)}`;
}
