// Draws a plotly figure held in the widget's `figure` trait and reports clicks to Python.
// plotly.js is loaded once per page: Voilà's template ships it as a static script; anywhere
// else (JupyterLab) the kernel sends the bundled copy on request, so nothing comes from a CDN.

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

const CONFIG = { displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

export default {
  async render({ model, el }) {
    el.classList.add("stargate-figure");
    const Plotly = await loadPlotly(model);
    // Width follows the element (Voilà lays the page out after the first draw, so plotly's
    // own autosize would keep its 700 px default).
    const width = () => (el.clientWidth > 0 ? el.clientWidth : undefined);
    // Draws run one after another, each with the figure current when it starts, so an update
    // that arrives mid-draw is drawn next and the revision mark always names what is shown.
    let drawing = Promise.resolve();
    const draw = () => {
      drawing = drawing.then(() => {
        const figure = model.get("figure") || {};
        const revision = model.get("revision");
        const layout = { ...(figure.layout || {}), width: width() };
        return Plotly.react(el, figure.data || [], layout, CONFIG).then(() => {
          el.dataset.revision = String(revision);
        });
      });
      return drawing;
    };
    model.on("change:figure", draw);
    await draw();
    const resize = new ResizeObserver(() => {
      const now = width();
      if (now && el._fullLayout && Math.abs(el._fullLayout.width - now) > 1) {
        Plotly.relayout(el, { width: now });
      }
    });
    resize.observe(el);
    el.on("plotly_click", (event) => {
      const point = event.points && event.points[0];
      if (point && point.customdata !== undefined) {
        model.send({ type: "click", customdata: point.customdata });
      }
    });
    return () => {
      resize.disconnect();
      Plotly.purge(el);
    };
  },
};
