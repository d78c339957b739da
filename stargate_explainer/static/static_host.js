// The static host of the view runtime: a page model and a tiny model object (get, set, on,
// off, save_changes, send) in place of a kernel. The runtime module precedes this script in the
// same <script type="module"> and defines `stargateRuntime`. Hosts added later (a notebook's
// next output) call window.stargateStart() again.
function startHosts() {
  for (const holder of document.querySelectorAll("[data-sg-host]:not([data-sg-started])")) {
    holder.setAttribute("data-sg-started", "");
    const page = document.getElementById(holder.dataset.sgModel).textContent;
    const values = new Map(Object.entries({
      page,
      lang: holder.dataset.sgLang || "en",
      view: holder.dataset.sgView || "org",
      embed: holder.dataset.sgEmbed === "1",
      address: holder.dataset.sgAddress || "",
      data_url: holder.dataset.sgDataUrl || "",
    }));
    const listeners = new Map();
    const model = {
      get: (name) => values.get(name),
      set(name, value) {
        values.set(name, value);
        for (const callback of listeners.get(`change:${name}`) || []) callback();
      },
      on(name, callback) {
        if (!listeners.has(name)) listeners.set(name, new Set());
        listeners.get(name).add(callback);
      },
      off(name, callback) {
        listeners.get(name)?.delete(callback);
      },
      save_changes() {},
      send() {},
    };
    holder.replaceChildren();
    stargateRuntime.render({ model, el: holder });
  }
  document.body.dataset.ready = "true";
}
window.stargateStart = startHosts;
startHosts();
