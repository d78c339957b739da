// The live dashboard's reader tools (chart_tools.js precedes this file): the share link kept
// in the address bar, theme, print, citation and the dataset downloads. The kernel owns the
// view state; this widget only writes its query into the page's address.

export default {
  render({ model, el }) {
    if (!document.documentElement.dataset.sgTheme) {
      document.documentElement.dataset.sgTheme = sgInitialTheme();
    }
    // Only Voilà's page belongs to the dashboard; inside JupyterLab the address is the lab's.
    const ownsAddress = Boolean(window.stargateVoila);
    const link = () => {
      if (!ownsAddress) return "?" + model.get("query");
      const url = new URL(window.location.href);
      url.search = "?" + model.get("query");
      url.hash = "";
      return url.toString();
    };
    const page = () => {
      const url = new URL(window.location.href);
      return url.origin + url.pathname;
    };
    let tools = null;
    const mount = () => {
      const ui = model.get("ui");
      const citation = model.get("citation");
      el.replaceChildren();
      tools = sgMountTools(el, {
        ui,
        citation: {
          plain: citation.plain.replace("{url}", page()),
          bibtex: citation.bibtex.replace("{url}", page()),
        },
        link,
        datasets: ["json", "csv"].map((format) => ({
          format,
          label: ui[`dataset_${format}`],
          save: () => model.send({ type: "dataset", format }),
        })),
      });
    };
    const remember = () => {
      if (ownsAddress) window.history.replaceState(window.history.state, "", link());
      if (tools) tools.showLink();
    };
    model.on("change:ui", mount);
    model.on("change:citation", mount);
    model.on("change:query", remember);
    model.on("msg:custom", (message, buffers) => {
      if (message.type === "dataset") {
        sgSave(message.filename, new Blob([buffers[0]], { type: message.mime }));
      }
    });
    mount();
    remember();
  },
};
