// The static site's controls: no kernel, no network (chart_tools.js precedes this file).
// Charts arrive as payloads from Python (`stargate_explainer.charts`); this script mounts them,
// swaps precomputed panels, redoes the funding arithmetic of `stargate_explainer.funding`, and
// keeps the view state in the URL fragment in the link format of
// `stargate_explainer.state.ViewState` (the tests check both sides read each other's links).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("stargate-data").textContent);
  const lang = data.lang;
  const funding = data.funding;
  const panel = (name) => document.querySelector(`[data-panel="${name}"]`);
  const control = (name) => document.querySelector(`[data-control="${name}"]`);
  const has = (object, key) => typeof key === "string" && Object.hasOwn(object, key);
  document.documentElement.dataset.sgTheme = sgInitialTheme();

  // --- the view state and its link ---------------------------------------------------------
  const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;
  const CURRENCY = /^[A-Z]{3}$/;
  const MONTH = /^(19|20|21)\d\d-(0[1-9]|1[0-2])$/;
  const NUMBER = /^\d{1,6}(\.\d{1,6})?$/;

  function parseSplit(text) {
    if (!text) return null;
    const pairs = [];
    for (const part of text.split(",")) {
      const [key, number] = [part.slice(0, part.indexOf(":")), part.slice(part.indexOf(":") + 1)];
      if (part.indexOf(":") < 0 || !KEY.test(key) || !NUMBER.test(number)) return null;
      pairs.push([key, +number]);
    }
    return pairs;
  }

  function parseState(text) {
    const raw = (text || "").replace(/^[?#]/, "");
    // "#funding" (a plain section anchor) opens that view
    const values = new URLSearchParams(data.views.includes(raw) ? `view=${raw}` : raw);
    const get = (name) => values.get(name);
    const lanes = get("lanes");
    return {
      view: data.views.includes(get("view")) ? get("view") : data.views[0],
      currency: CURRENCY.test(get("currency") || "") ? get("currency") : "USD",
      preset: KEY.test(get("preset") || "") ? get("preset") : "",
      split: parseSplit(get("split")),
      total: NUMBER.test(get("total") || "") ? +get("total") : null,
      from: MONTH.test(get("from") || "") ? get("from") : "",
      to: MONTH.test(get("to") || "") ? get("to") : "",
      lanes: lanes === null ? null : lanes.split(",").filter((lane) => KEY.test(lane)),
      embed: get("embed") === "1",
    };
  }

  const shortNumber = (value) =>
    (Math.round(value * 10 ** funding.share_digits) / 10 ** funding.share_digits)
      .toFixed(funding.share_digits)
      .replace(/0+$/, "")
      .replace(/\.$/, "");

  function stateQuery(state) {
    const parts = [["view", state.view], ["lang", lang]];
    if (state.currency !== "USD") parts.push(["currency", state.currency]);
    if (state.preset) parts.push(["preset", state.preset]);
    if (state.split) parts.push(["split", state.split.map(([k, v]) => `${k}:${shortNumber(v)}`).join(",")]);
    if (state.total !== null) parts.push(["total", shortNumber(state.total)]);
    if (state.from) parts.push(["from", state.from]);
    if (state.to) parts.push(["to", state.to]);
    if (state.lanes !== null) parts.push(["lanes", state.lanes.join(",")]);
    if (state.embed) parts.push(["embed", "1"]);
    return parts.map(([name, value]) => `${name}=${encodeURIComponent(value).replace(/%2C/g, ",").replace(/%3A/g, ":")}`).join("&");
  }

  const state = parseState(window.location.hash);
  const pageAddress = () => window.location.href.split("#")[0];
  const link = (changes) => `${pageAddress()}#${stateQuery(Object.assign({}, state, changes || {}))}`;
  let tools = null;
  function remember(changes) {
    Object.assign(state, changes);
    window.history.replaceState(window.history.state, "", `#${stateQuery(state)}`);
    if (tools) tools.showLink();
    showEmbeds();
  }
  const attribute = (text) =>
    text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  // Each view's <iframe> snippet, in the current state (a split made here embeds as made).
  function showEmbeds() {
    for (const box of document.querySelectorAll("[data-embed]")) {
      const view = box.dataset.embed;
      const title = document.getElementById(view).querySelector("h2").textContent;
      box.value = `<iframe src="${attribute(link({ view, embed: true }))}" title="${attribute(title)}" width="100%" height="720" style="border:0" loading="lazy"></iframe>`;
    }
  }
  window.stargateState = { parseState, stateQuery, state: () => Object.assign({}, state) };

  // --- charts ----------------------------------------------------------------------------------
  const mounted = {};
  function mount(id, payload) {
    const slot = document.querySelector(`[data-chart="${id}"]`);
    const chart = sgMountChart(slot);
    chart.plot.dataset.figure = id;
    mounted[id] = chart;
    return chart.update(payload);
  }
  const update = (id, payload) => mounted[id].update(payload);

  // --- number formats: the same rules as stargate_explainer.i18n -------------------------
  const grouped = (value, digits) =>
    value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const SYMBOL = { USD: "$", JPY: "¥", CNY: "CN¥" };
  const JAPANESE_WORD = { USD: "ドル", JPY: "円", CNY: "元" };
  function formatMoney(usdBn, currency, rate) {
    const billions = usdBn * rate;
    if (lang === "ja") {
      const oku = billions * 10;
      if (Math.abs(oku) >= 10000) return `${grouped(oku / 10000, 2)}兆${JAPANESE_WORD[currency]}`;
      return `${grouped(oku, 0)}億${JAPANESE_WORD[currency]}`;
    }
    if (Math.abs(billions) >= 1000) return `${SYMBOL[currency]}${grouped(billions / 1000, 2)} trillion`;
    return currency === "USD"
      ? `${SYMBOL[currency]}${grouped(billions, 1)}B`
      : `${SYMBOL[currency]}${grouped(billions, 1)} billion`;
  }
  const formatPercent = (value, digits) => `${grouped(value, digits)}%`;

  // --- the funding rule: the same as stargate_explainer.funding ---------------------------
  function rebalance(shares, changed, value) {
    value = Math.min(100, Math.max(0, value));
    const others = Object.keys(shares).filter((name) => name !== changed);
    const otherTotal = others.reduce((sum, name) => sum + shares[name], 0);
    const result = { [changed]: value };
    for (const name of others) {
      result[name] = otherTotal > 0 ? ((100 - value) * shares[name]) / otherTotal : (100 - value) / others.length;
    }
    return Object.fromEntries(Object.keys(shares).map((name) => [name, result[name]]));
  }
  function rounded(shares) {
    const factor = 10 ** funding.share_digits;
    const result = Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, Math.round(v * factor) / factor]));
    const names = Object.keys(result);
    if (!names.length) return result;
    const largest = names.reduce((a, b) => (result[b] > result[a] ? b : a));
    const others = names.filter((name) => name !== largest).reduce((sum, name) => sum + result[name], 0);
    result[largest] = Math.round((100 - others) * factor) / factor;
    return result;
  }
  function yearTotals(total, initial, years) {
    const first = Math.min(total, initial);
    const later = (total - first) / (years.length - 1);
    return years.map((_, index) => (index === 0 ? first : later));
  }
  window.stargateFunding = { rebalance, rounded, yearTotals, formatMoney, formatPercent };

  // Plotly's JSON may carry numeric arrays as base64 typed arrays.
  function plain(array) {
    if (Array.isArray(array)) return array;
    const bytes = Uint8Array.from(atob(array.bdata), (c) => c.charCodeAt(0));
    const types = { f8: Float64Array, f4: Float32Array, i4: Int32Array, i2: Int16Array, i1: Int8Array, u1: Uint8Array };
    return [...new types[array.dtype](bytes.buffer)];
  }
  const copy = (value) => JSON.parse(JSON.stringify(value));

  // --- funding view ------------------------------------------------------------------------
  function setupFunding() {
    const funders = funding.funders;
    const sliders = [...document.querySelectorAll('[data-control="share"]')];
    const total = control("total");
    const preset = control("preset");
    const view = { preset: funding.first_preset, shares: Object.assign({}, funding.presets[funding.first_preset].shares), currency: "USD" };
    const split = state.split && Object.fromEntries(state.split);
    const sum = split ? Object.values(split).reduce((a, b) => a + b, 0) : 0;
    if (split && funders.every((f) => f in split) && state.split.length === funders.length && Math.abs(sum - 100) < 0.05) {
      view.preset = "custom";
      view.shares = Object.fromEntries(funders.map((f) => [f, split[f]]));
    } else if (has(funding.presets, state.preset)) {
      view.preset = state.preset;
      view.shares = Object.assign({}, funding.presets[state.preset].shares);
    }
    if (has(funding.fx, state.currency)) view.currency = state.currency;
    // the range input snaps to its steps, as stargate_explainer.funding.snap_total does
    if (state.total !== null && state.total >= funding.initial && state.total <= funding.total) total.value = state.total;
    preset.value = view.preset;
    for (const radio of document.querySelectorAll('[data-control="currency"]')) radio.checked = radio.value === view.currency;

    function showControls() {
      for (const slider of sliders) {
        slider.value = view.shares[slider.dataset.funder].toFixed(1);
        slider.nextElementSibling.textContent = view.shares[slider.dataset.funder].toFixed(1);
      }
      total.nextElementSibling.textContent = grouped(+total.value, 0);
      const shareSum = Object.values(view.shares).reduce((a, b) => a + b, 0);
      panel("shares-sum").textContent = funding.sum_label.replace("{total}", shareSum.toFixed(1));
      panel("fx-note").textContent = funding.fx[view.currency].note;
      panel("preset-status").innerHTML = has(funding.presets, view.preset) && view.preset !== "equal" ? funding.presets[view.preset].status : ""; // escaped by panels
    }
    function redraw() {
      const amount = +total.value;
      const rate = funding.fx[view.currency].rate;
      const variant = funding.variants[view.preset][view.currency];
      const perFunder = copy(variant["funding-per-funder"]);
      perFunder.figure.data = copy(data.charts["funding-per-funder"].figure.data);
      const bars = perFunder.figure.data[0];
      bars.x = funders.map((f) => (amount * view.shares[f] * rate) / 100);
      bars.text = funders.map(
        (f) => `${formatMoney((amount * view.shares[f]) / 100, view.currency, rate)} (${formatPercent(view.shares[f], 1)})`
      );
      perFunder.rows = funders.map((f, index) => [perFunder.rows[index][0], view.shares[f], (amount * view.shares[f] * rate) / 100, view.currency]);

      const perYear = copy(variant["funding-per-year"]);
      perYear.figure.data = copy(data.charts["funding-per-year"].figure.data);
      const totals = yearTotals(amount, funding.initial, funding.years);
      perYear.figure.data.forEach((trace, index) => {
        const funder = funders[index];
        trace.y = totals.map((t) => (t * view.shares[funder] * rate) / 100);
        trace.hovertext = totals.map(
          (t) => `${trace.name}: ${formatMoney((t * view.shares[funder]) / 100, view.currency, rate)}`
        );
      });
      perYear.rows = perYear.rows.map((row, index) => {
        const funder = funders[index % funders.length];
        const year = Math.floor(index / funders.length);
        return [row[0], row[1], (totals[year] * view.shares[funder] * rate) / 100, view.currency];
      });

      const scale = copy(data.charts["funding-scale"]);
      const scaleBars = scale.figure.data[0];
      scaleBars.x = [...plain(scaleBars.x).slice(0, -1), amount];
      scaleBars.text = [...scaleBars.text.slice(0, -1), formatMoney(amount, "USD", 1)];
      scale.rows[scale.rows.length - 1][2] = amount;

      const gdp = copy(data.charts["funding-gdp"]);
      const share = (100 * Math.max(...totals)) / funding.gdp;
      gdp.figure.data[0].x = [...plain(gdp.figure.data[0].x).slice(0, -1), share];
      gdp.figure.data[0].text = [...gdp.figure.data[0].text.slice(0, -1), formatPercent(share, 2)];
      gdp.rows[gdp.rows.length - 1][1] = share;
      showControls();
      return Promise.all([
        update("funding-per-funder", perFunder),
        update("funding-per-year", perYear),
        update("funding-scale", scale),
        update("funding-gdp", gdp),
      ]);
    }
    // The funding part of the link, as drawn (what the data could not honour is dropped).
    function fundingState() {
      const custom = view.preset === "custom";
      return {
        currency: view.currency,
        preset: custom || view.preset === funding.first_preset ? "" : view.preset,
        split: custom ? funders.map((f) => [f, view.shares[f]]) : null,
        total: +total.value === funding.total ? null : +total.value,
      };
    }
    const rememberFunding = () => remember(Object.assign({ view: "funding" }, fundingState()));
    Object.assign(state, fundingState());
    preset.addEventListener("change", () => {
      if (preset.value === "custom") return;
      if (!has(funding.presets, preset.value)) return;
      view.preset = preset.value;
      view.shares = Object.assign({}, funding.presets[preset.value].shares);
      redraw();
      rememberFunding();
    });
    for (const slider of sliders) {
      slider.addEventListener("input", () => {
        view.shares = rounded(rebalance(view.shares, slider.dataset.funder, +slider.value));
        view.preset = "custom";
        preset.value = "custom";
        redraw();
        rememberFunding();
      });
    }
    total.addEventListener("input", () => {
      redraw();
      rememberFunding();
    });
    for (const radio of document.querySelectorAll('[data-control="currency"]')) {
      radio.addEventListener("change", () => {
        view.currency = radio.value;
        redraw();
        rememberFunding();
      });
    }
    ["funding-per-funder", "funding-per-year", "funding-scale", "funding-gdp"].forEach((id) => mount(id, data.charts[id]));
    return redraw();
  }

  // --- org chart, timeline, markets, sources -----------------------------------------------
  function setupOrg() {
    const select = control("org-select");
    const show = (id) => {
      if (!has(data.org_details, id)) return;
      panel("org-details").innerHTML = data.org_details[id]; // escaped by panels
      select.value = id;
    };
    select.addEventListener("change", () => show(select.value));
    return mount("org-chart", data.charts["org-chart"]).then(() => {
      mounted["org-chart"].plot.on("plotly_click", (event) => {
        show(event.points[0] && event.points[0].customdata);
      });
    });
  }

  function setupTimeline() {
    const base = data.charts.timeline;
    const [first, last] = data.months;
    const monthEnd = (month) => {
      const [year, number] = month.split("-").map(Number);
      return new Date(Date.UTC(year, number, 0)).toISOString().slice(0, 10);
    };
    const chart = () => mounted.timeline;
    // The rows of the events inside the shown dates and lanes: what the chart now plots.
    function visibleRows() {
      const plot = chart().plot;
      const range = plot._fullLayout.xaxis.range.map((value) => String(value).slice(0, 10));
      const hidden = new Set(plot.data.filter((trace) => trace.visible === "legendonly").map((trace) => trace.name));
      const payload = Object.assign({}, base, { rows: [], status: [], sources: [] });
      base.rows.forEach((row, index) => {
        const [date, , lane] = row;
        if (date >= range[0] && date <= range[1] && !hidden.has(lane)) {
          payload.rows.push(row);
          payload.status.push(base.status[index]);
          payload.sources.push(base.sources[index]);
        }
      });
      return { payload, range, hidden };
    }
    function timelineState() {
      const { payload, range, hidden } = visibleRows();
      chart().showRows(payload);
      const from = range[0].slice(0, 7);
      const to = range[1].slice(0, 7);
      const lanes = Object.entries(data.lanes).filter(([label]) => !hidden.has(label)).map(([, key]) => key);
      return {
        from: from <= first ? "" : from,
        to: to >= last ? "" : to,
        lanes: lanes.length === Object.keys(data.lanes).length ? null : lanes,
      };
    }
    // Only the reader's dates and lanes: a relayout for a new width is not a timeline change.
    function onChange(event) {
      const keys = Object.keys((Array.isArray(event) ? event[0] : event) || {});
      if (keys.some((key) => key.startsWith("xaxis.range") || key === "xaxis.autorange" || key === "visible")) {
        remember(Object.assign({ view: "timeline" }, timelineState()));
      }
    }
    return mount("timeline", base).then(async () => {
      const plot = chart().plot;
      // Dates stay put when lanes are hidden (plotly would otherwise re-fit them).
      const changes = { "xaxis.autorange": false };
      if (state.from || state.to) {
        const from = state.from && state.from >= first ? state.from : first;
        const to = state.to && state.to <= last ? state.to : last;
        if (from <= to) changes["xaxis.range"] = [`${from}-01`, monthEnd(to)];
      }
      await Plotly.relayout(plot, changes);
      if (state.lanes !== null) {
        const hide = plot.data
          .map((trace, index) => [trace.name, index])
          .filter(([name]) => has(data.lanes, name) && !state.lanes.includes(data.lanes[name]))
          .map(([, index]) => index);
        if (hide.length) await Plotly.restyle(plot, { visible: "legendonly" }, hide);
      }
      Object.assign(state, timelineState());
      plot.on("plotly_relayout", onChange);
      plot.on("plotly_restyle", onChange);
      plot.on("plotly_click", (event) => {
        const id = event.points[0] && event.points[0].customdata;
        if (has(data.event_details, id)) panel("event-details").innerHTML = data.event_details[id];
      });
    });
  }

  function setupMarkets() {
    const select = control("market-day");
    select.addEventListener("change", () => {
      update("markets", data.market_charts[select.value]);
      panel("yields").innerHTML = data.market_yields[select.value]; // escaped by panels
    });
    return mount("markets", data.charts.markets);
  }

  function setupSources() {
    const input = control("source-filter");
    const rows = [...document.querySelectorAll(".sg-view-sources .sg-table-box tr")];
    input.addEventListener("input", () => {
      const needle = input.value.trim().toLowerCase();
      let shown = 0;
      for (const row of rows) {
        const match = !needle || row.textContent.toLowerCase().includes(needle);
        row.hidden = !match;
        shown += match;
      }
      panel("source-count").textContent = data.source_count_label
        .replace("{n}", shown)
        .replace("{total}", rows.length);
    });
  }

  // --- the page: tools, embeds, the view a link names -------------------------------------
  function setupPage() {
    const page = pageAddress();
    tools = sgMountTools(document.querySelector(".sg-tools-slot"), {
      ui: data.tools,
      citation: {
        plain: data.citation.plain.replace("{url}", page),
        bibtex: data.citation.bibtex.replace("{url}", page),
      },
      link: () => link(),
    });
    showEmbeds();
    for (const anchor of document.querySelectorAll(".sg-nav a")) {
      anchor.addEventListener("click", () => setTimeout(() => remember({ view: anchor.hash.slice(1) }), 0));
    }
    for (const section of document.querySelectorAll("section[data-view]")) {
      for (const type of ["change", "click"]) {
        section.addEventListener(type, (event) => {
          if (event.target.closest("[data-control], .sg-chart-tools, .stargate-figure")) remember({ view: section.dataset.view });
        });
      }
    }
    const target = document.getElementById(state.view);
    if (state.embed) {
      document.body.classList.add("sg-embed");
      target.classList.add("sg-embed-target");
      const back = document.createElement("p");
      back.className = "sg-embed-link";
      const anchor = document.createElement("a");
      anchor.href = link({ embed: false });
      anchor.target = "_blank";
      anchor.rel = "noopener";
      anchor.textContent = data.tools.full_explainer;
      back.appendChild(anchor);
      target.appendChild(back);
    } else if (window.location.hash.length > 1) {
      target.scrollIntoView();
    }
  }

  window.addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll("details")) details.open = true;
  });

  setupPage();
  Promise.all([setupOrg(), setupFunding(), setupTimeline(), setupMarkets()]).then(() => {
    setupSources();
    if (window.location.hash.length > 1) remember({});
    // after the tables, which each chart builds a task after its drawing
    setTimeout(() => (document.body.dataset.ready = "true"), 0);
  });
})();
