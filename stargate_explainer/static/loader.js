// The dashboard widget's front-end module (anywidget's `_esm`): a few lines that find the view
// runtime in the page, or ask the kernel for it once per page, and hand it the widget.
//
// The Voilà dashboard's page and a notebook's show() outputs already carry the runtime, and any
// number of widgets share one copy of it, so a widget's own module stays this small. The kernel
// answers a widget's questions ("runtime", "page") once per page connection, as text.

const KEY = "__RUNTIME_KEY__";
const WAIT_MS = 60000;

// The answer to `name` from the widget's kernel: `{ type: "asset", name, text }`.
function ask(model, name) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(null, `no answer from the kernel within ${WAIT_MS / 1000} s`), WAIT_MS);
    const finish = (text, error) => {
      clearTimeout(timer);
      model.off("msg:custom", onMessage);
      if (error) reject(new Error(error));
      else resolve(text);
    };
    const onMessage = (message) => {
      if (message && message.type === "asset" && message.name === name) finish(message.text, message.error);
    };
    model.on("msg:custom", onMessage);
    model.send({ type: "asset", name });
  });
}

function runtime(model) {
  const shared = (globalThis.stargateExplainer ??= { runtimes: {} });
  if (shared.runtimes[KEY]) return Promise.resolve(shared.runtimes[KEY]);
  shared.loading ??= {};
  shared.loading[KEY] ??= ask(model, "runtime").then((text) => {
    const script = document.createElement("script");
    script.textContent = text;
    document.head.append(script);
    script.remove();
    if (!shared.runtimes[KEY]) throw new Error("the runtime did not start");
    return shared.runtimes[KEY];
  });
  shared.loading[KEY].catch(() => delete shared.loading[KEY]);
  return shared.loading[KEY];
}

export default {
  async render({ model, el, signal }) {
    try {
      const found = await runtime(model);
      if (signal?.aborted) return undefined;
      return await found.render({ model, el, signal, ask: (name) => ask(model, name) });
    } catch (error) {
      const ja = model.get("lang") === "ja";
      const note = document.createElement("p");
      note.setAttribute("role", "alert");
      note.textContent = (ja ? "解説を読み込めませんでした。ページを再読み込みしてください: " : "The explainer could not be loaded; reload the page: ") + error.message;
      el.replaceChildren(note);
      return () => el.replaceChildren();
    }
  },
};
