// The static site's controls: no kernel, no network. Figures come drawn-ready from Python
// (`stargate_explainer.figures`); this script draws them, swaps precomputed panels, and redoes
// the funding arithmetic of `stargate_explainer.funding` (tests check both give the same numbers).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("stargate-data").textContent);
  const lang = data.lang;
  const CONFIG = { displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  const figureElement = (id) => document.querySelector(`[data-figure="${id}"]`);
  const panel = (name) => document.querySelector(`[data-panel="${name}"]`);
  const control = (name) => document.querySelector(`[data-control="${name}"]`);

  function draw(id, figure) {
    const element = figureElement(id);
    const layout = Object.assign({}, figure.layout, { width: element.clientWidth || undefined });
    return Plotly.react(element, figure.data, layout, CONFIG).then(() => {
      element.dataset.revision = String(+(element.dataset.revision || 0) + 1);
    });
  }

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
  function yearTotals(total, initial, years) {
    const first = Math.min(total, initial);
    const later = (total - first) / (years.length - 1);
    return years.map((_, index) => (index === 0 ? first : later));
  }
  window.stargateFunding = { rebalance, yearTotals, formatMoney, formatPercent };

  // --- funding view ------------------------------------------------------------------------
  function setupFunding() {
    const funding = data.funding;
    const state = { shares: Object.assign({}, Object.values(funding.presets)[0].shares), currency: "USD" };
    const sliders = [...document.querySelectorAll('[data-control="share"]')];
    const total = control("total");
    const base = {
      perFunder: data.figures["funding-per-funder"],
      perYear: data.figures["funding-per-year"],
      scale: data.figures["funding-scale"],
      gdp: data.figures["funding-gdp"],
    };
    function showControls() {
      for (const slider of sliders) {
        slider.value = state.shares[slider.dataset.funder].toFixed(1);
        slider.nextElementSibling.textContent = state.shares[slider.dataset.funder].toFixed(1);
      }
      total.nextElementSibling.textContent = grouped(+total.value, 0);
      const sum = Object.values(state.shares).reduce((a, b) => a + b, 0);
      panel("shares-sum").textContent = funding.sum_label.replace("{total}", sum.toFixed(1));
      panel("fx-note").textContent = funding.fx[state.currency].note;
    }
    function redraw() {
      const amount = +total.value;
      const rate = funding.fx[state.currency].rate;
      const funders = funding.funders;
      const perFunder = JSON.parse(JSON.stringify(base.perFunder));
      const bars = perFunder.data[0];
      bars.x = funders.map((f) => (amount * state.shares[f] * rate) / 100);
      bars.text = funders.map(
        (f) => `${formatMoney((amount * state.shares[f]) / 100, state.currency, rate)} (${formatPercent(state.shares[f], 1)})`
      );
      const perYear = JSON.parse(JSON.stringify(base.perYear));
      const totals = yearTotals(amount, funding.initial, funding.years);
      perYear.data.forEach((trace, index) => {
        const funder = funders[index];
        trace.y = totals.map((t) => (t * state.shares[funder] * rate) / 100);
        trace.hovertext = totals.map(
          (t) => `${trace.name}: ${formatMoney((t * state.shares[funder]) / 100, state.currency, rate)}`
        );
      });
      const scale = JSON.parse(JSON.stringify(base.scale));
      const scaleBars = scale.data[0];
      scaleBars.x = [...plain(scaleBars.x).slice(0, -1), amount];
      scaleBars.text = [...scaleBars.text.slice(0, -1), formatMoney(amount, "USD", 1)];
      const gdp = JSON.parse(JSON.stringify(base.gdp));
      const share = (100 * Math.max(...totals)) / funding.gdp;
      gdp.data[0].x = [...plain(gdp.data[0].x).slice(0, -1), share];
      gdp.data[0].text = [...gdp.data[0].text.slice(0, -1), formatPercent(share, 2)];
      showControls();
      return Promise.all([
        draw("funding-per-funder", perFunder),
        draw("funding-per-year", perYear),
        draw("funding-scale", scale),
        draw("funding-gdp", gdp),
      ]);
    }
    control("preset").addEventListener("change", (event) => {
      const preset = funding.presets[event.target.value];
      state.shares = Object.assign({}, preset.shares);
      panel("preset-status").innerHTML = preset.status; // escaped by stargate_explainer.panels
      redraw();
    });
    for (const slider of sliders) {
      slider.addEventListener("input", () => {
        state.shares = rebalance(state.shares, slider.dataset.funder, +slider.value);
        redraw();
      });
    }
    total.addEventListener("input", redraw);
    for (const radio of document.querySelectorAll('[data-control="currency"]')) {
      radio.addEventListener("change", () => {
        state.currency = radio.value;
        redraw();
      });
    }
    showControls();
  }

  // Plotly's JSON may carry numeric arrays as base64 typed arrays.
  function plain(array) {
    if (Array.isArray(array)) return array;
    const bytes = Uint8Array.from(atob(array.bdata), (c) => c.charCodeAt(0));
    const types = { f8: Float64Array, f4: Float32Array, i4: Int32Array, i2: Int16Array, i1: Int8Array, u1: Uint8Array };
    return [...new types[array.dtype](bytes.buffer)];
  }

  // --- org chart, timeline, markets, sources -----------------------------------------------
  function setupOrg() {
    const select = control("org-select");
    const show = (id) => {
      panel("org-details").innerHTML = data.org_details[id]; // escaped by panels
      select.value = id;
    };
    select.addEventListener("change", () => show(select.value));
    figureElement("org-chart").on("plotly_click", (event) => {
      const id = event.points[0] && event.points[0].customdata;
      if (id in data.org_details) show(id);
    });
  }
  function setupTimeline() {
    figureElement("timeline").on("plotly_click", (event) => {
      const id = event.points[0] && event.points[0].customdata;
      if (id in data.event_details) panel("event-details").innerHTML = data.event_details[id];
    });
  }
  function setupMarkets() {
    const select = control("market-day");
    select.addEventListener("change", () => {
      draw("markets", data.market_figures[select.value]);
      panel("yields").innerHTML = data.market_yields[select.value];
    });
  }
  function setupSources() {
    const input = control("source-filter");
    const rows = [...document.querySelectorAll(".sg-view-sources tr")];
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

  window.addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll("details")) details.open = true;
  });

  Promise.all(Object.entries(data.figures).map(([id, figure]) => draw(id, figure))).then(() => {
    setupFunding();
    setupOrg();
    setupTimeline();
    setupMarkets();
    setupSources();
    document.body.dataset.ready = "true";
  });
  window.addEventListener("resize", () => {
    for (const element of document.querySelectorAll(".stargate-figure")) {
      if (element._fullLayout) Plotly.relayout(element, { width: element.clientWidth });
    }
  });
})();
