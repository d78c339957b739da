// The live dashboard's chart widget (chart_tools.js precedes this file): draws the chart held
// in the widget's `chart` trait and reports clicks to Python. plotly.js is loaded once per
// page: Voilà's template ships it as a static script; anywhere else (JupyterLab) the kernel
// sends the bundled copy on request, so nothing comes from a CDN.

function loadPlotly(model) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__stargatePlotly) {
    window.__stargatePlotly = new Promise((resolve) => {
      const onMessage = (message) => {
        if (message.type !== "plotly-library") return;
        model.off("msg:custom", onMessage);
        const script = document.createElement("script");
        script.textContent = message.source;
        document.head.appendChild(script);
        resolve(window.Plotly);
      };
      model.on("msg:custom", onMessage);
      model.send({ type: "need-plotly" });
    });
  }
  return window.__stargatePlotly;
}

export default {
  async render({ model, el }) {
    await loadPlotly(model);
    if (!document.documentElement.dataset.sgTheme) {
      document.documentElement.dataset.sgTheme = sgInitialTheme();
    }
    const chart = sgMountChart(el);
    const show = () =>
      chart.update({ ...model.get("chart"), source_index: model.get("sources") }, model.get("revision"));
    model.on("change:chart", show);
    await show();
    chart.plot.on("plotly_click", (event) => {
      const point = event.points && event.points[0];
      if (point && point.customdata !== undefined) {
        model.send({ type: "click", customdata: point.customdata });
      }
    });
    return () => chart.dispose();
  },
};
