"""Real servers, the real static export and real headless Chromium for the browser tests.

Chromium is Debian's (/usr/bin/chromium), driven through Playwright with `executable_path`;
every request that leaves this machine is aborted and recorded, so a CDN dependency fails a
test. Both hosts of the view runtime are opened the same way (`Host.open`), so one scenario
runs against the live dashboard (Voilà) and the static site alike.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import psutil

from .conftest import ROOT

# Test servers see pages come and go within seconds, and Playwright's request interception drops
# the beacon with which a closing page shuts its kernel down, so kernels linger until culled:
# the server's cap on kernels (STARGATE_MAX_KERNELS) would turn later pages away, its bound per
# client address (STARGATE_KERNELS_PER_ADDRESS) would count every reader of a test as one (they
# all come from 127.0.0.1), and its check of free memory (STARGATE_KERNEL_MB) would follow
# whatever else this machine runs. Tests of those limits set them explicitly
# (tests/test_server.py).
os.environ.setdefault("STARGATE_MAX_KERNELS", "64")
os.environ.setdefault("STARGATE_KERNELS_PER_ADDRESS", "64")
os.environ.setdefault("STARGATE_KERNEL_MB", "1")

CHROMIUM = Path(os.environ.get("STARGATE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
# axe-core, the WCAG rule engine, from the npm registry (package.json pins it; `make test` runs
# `npm ci` when node_modules is missing).
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe has no rule tagged 2.2 A).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Those of them that read colours: all a change of theme (colour tokens only) can break.
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]
AXE_RUN = """(only) => axe.run(document, { runOnly: only, resultTypes: ['violations'] })
  .then((result) => result.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ impact: n.impact, target: n.target.join(' '), html: n.html.slice(0, 160),
      summary: n.failureSummary })) })))"""
LOCAL_PREFIXES = ("http://127.0.0.1", "file:", "data:", "blob:", "about:")
# Voilà's own loading overlay is gone, the view is on screen and every chart in it has been
# drawn: "network idle" is not a ready signal (Voilà keeps its websocket busy long after).
READY = """(view) => {
  const loading = document.querySelector('#loading');
  if (loading && getComputedStyle(loading).display !== 'none') return false;
  if (document.querySelector('.sg-error')) return true;
  const el = document.querySelector(`.sg-view-${view}`);
  if (!el || el.hidden) return false;
  return [...el.querySelectorAll('.sg-plot')].every((p) => +p.dataset.revision > 0);
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PageRecord:
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_page(browser, url: str, width: int = 1280, height: int = 800):
    """A new page with the network cut at the machine's edge; returns (page, record)."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    page = context.new_page()
    record = PageRecord()

    def route(request_route):
        if request_route.request.url.startswith(LOCAL_PREFIXES):
            request_route.continue_()
        else:
            record.external.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on(
        "console", lambda message: message.type == "error" and record.errors.append(message.text)
    )
    page.on("pageerror", lambda error: record.errors.append(str(error)))
    page.goto(url, wait_until="commit")
    return page, record


def wait_for(condition, seconds: float, message: str) -> float:
    """Poll `condition` until it holds; the seconds it took. Fails after `seconds`."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, message
        time.sleep(0.1)
    return time.monotonic() - start


def wait_ready(page, view: str, timeout: float = 90_000) -> None:
    page.wait_for_function(READY, arg=view, timeout=timeout, polling=50)


@dataclass
class Host:
    """One host of the runtime: the live dashboard at `url` (links are query strings) or the
    static site's page at `url` (links follow `#`)."""

    name: str
    url: str

    def link(self, query: str = "", lang: str = "en") -> str:
        if self.name == "live":
            return f"{self.url}/?{query}" if query else f"{self.url}/"
        page = self.url if lang == "en" else self.url.replace("index.html", "ja/index.html")
        return f"{page}#{query}" if query else page

    def open(
        self,
        browser,
        query: str = "",
        view: str = "org",
        lang: str = "en",
        width: int = 1280,
        height: int = 800,
    ):
        page, record = open_page(browser, self.link(query, lang), width, height)
        wait_ready(page, view)
        return page, record


def axe_violations(
    page, rules: list[str] | None = None, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA rules (or only `rules`) run on the page as it
    stands: one entry {rule, impact, target, html, summary} per element that breaks a rule at
    one of `impacts`. axe is evaluated in the page (not added as a <script>) and defines only
    `window.axe`."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    found = []
    for violation in page.evaluate(AXE_RUN, only):
        for node in violation["nodes"]:
            if (node["impact"] or violation["impact"]) in impacts:
                found.append({"rule": violation["rule"], "impact": node["impact"], **node})
    return found


def _axe_source() -> str:
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `npm ci` (make test does)")
    return AXE.read_text("utf-8")


def screenshot(page, name: str) -> Path:
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Voilà scrolls inside its own element, so size the window to the content instead.
    height = page.evaluate(
        "Math.ceil(document.querySelector('.sg-app, .sg-error').getBoundingClientRect().bottom) + 40"
    )
    page.set_viewport_size(
        {"width": page.viewport_size["width"], "height": min(max(height, 800), 8000)}
    )
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass
class VoilaProcess:
    url: str
    process: subprocess.Popen
    log: Path

    def kernels(self) -> list:
        """The kernel processes this server runs now."""
        found = []
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if "ipykernel" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.Error:
                pass
        return found

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace")


@contextmanager
def _serving(
    name: str, command: list[str], port: int, ready: str, cwd: Path, env: Mapping, preexec=None
):
    """`command` run as a server on `port`, its output in test-artifacts/<name>-<port>.log:
    yields (url, process, log path) once `ready` (a path) answers, and stops it at the end. A
    server whose event loop is frozen ignores SIGTERM, so it is killed. `preexec` runs in the
    child before the server starts (e.g. to set a limit, as a service manager would)."""
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"{name}-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: PLW1509 - preexec only sets a resource limit
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=preexec
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(url + ready, timeout=2)
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"{name} did not start; see {log_path}") from None
                    time.sleep(0.3)
            yield url, process, log_path
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


@contextmanager
def voila_process(
    notebook: Path = ROOT / "dashboards" / "stargate.ipynb",
    env: Mapping[str, str] | None = None,
    kernel_paths: tuple[Path, ...] = (),
    data: Path | None = None,
    cwd: Path = ROOT,
    base_env: Mapping[str, str] | None = None,
    open_files: tuple[int, int] | None = None,
):
    """`make serve`'s command on a free port, ready once it serves Voilà's own script: yields
    the URL, the process and its log. `env` adds to `base_env` (this process's environment by
    default), `data` is the dataset (`STARGATE_DATA`), `kernel_paths` go on JUPYTER_PATH before
    the template's (to swap the python3 kernelspec), `cwd` decides which voila.json applies and
    `open_files` is the server's (soft, hard) limit on open files, as a service manager sets it."""
    port = free_port()
    paths = [*map(str, kernel_paths), str(ROOT / "assets" / "jupyter")]
    environment = dict(os.environ if base_env is None else base_env, **(env or {}))
    environment["JUPYTER_PATH"] = os.pathsep.join(paths)
    if data is not None:
        environment["STARGATE_DATA"] = str(data)
    command = [str(ROOT / ".venv" / "bin" / "voila"), str(notebook), f"--port={port}"]
    limit = None if open_files is None else partial(_limit_open_files, open_files)
    with _serving(
        "voila", command, port, "/voila/static/voila.js", cwd, environment, limit
    ) as started:
        yield VoilaProcess(*started)


def _limit_open_files(limits: tuple[int, int]) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_NOFILE, limits)


@contextmanager
def voila_server(
    data: Path | None = None,
    notebook: Path = ROOT / "dashboards" / "stargate.ipynb",
    env: Mapping[str, str] | None = None,
):
    """`voila_process` for tests that need only the base URL."""
    with voila_process(notebook, env=env, data=data) as running:
        yield running.url


def open_at_once(browser, url: str, count: int, ready: str, timeout: float = 300) -> list[float]:
    """`count` pages of `url` requested at once and polled together until `ready` (a JS
    expression) holds in each: the seconds each took, in the order they were drawn; readers not
    drawn within `timeout` are left out. The pages are closed before returning."""
    starts, pages = [], []
    for _ in range(count):
        starts.append(time.perf_counter())
        pages.append(open_page(browser, url)[0])
    done: dict[int, float] = {}
    deadline = time.perf_counter() + timeout
    while len(done) < count and time.perf_counter() < deadline:
        for index, page in enumerate(pages):
            if index not in done and page.evaluate(ready):
                done[index] = time.perf_counter() - starts[index]
        time.sleep(0.1)
    for page in pages:
        page.context.close()
    return list(done.values())


def open_local_page(browser, url: str):
    """A new page whose requests that leave 127.0.0.1 are recorded but not intercepted: an
    intercepted request cannot outlive its page (with any `page.route`, the beacon Voilà's page
    sends while it unloads never arrived). Tests assert `record.external` is empty, and this
    machine has no route out anyway. Returns (page, record)."""
    page = browser.new_page()
    record = PageRecord()
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(LOCAL_PREFIXES) else record.external.append(request.url)
        ),
    )
    page.on("pageerror", lambda error: record.errors.append(str(error)))
    page.goto(url, wait_until="commit")
    return page, record


@dataclass
class LabProcess:
    """A JupyterLab server of its own: no token or password (it listens on 127.0.0.1 only),
    its app exposed to the page as `window.jupyterapp`, its settings and workspaces in a
    temporary directory (a test's theme choice never reaches this machine's JupyterLab)."""

    url: str
    root: Path
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace")


# JupyterLab's own settings for a test: the light theme, not following the system's (so an
# emulated dark mode is the system's alone), and no news prompt over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/themes.jupyterlab-settings": {
        "theme": "JupyterLab Light",
        "adaptive-theme": False,
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


@contextmanager
def jupyter_lab(root: Path):
    """`jupyter lab` from .venv on a free port serving the notebooks in `root` (root's own
    `.lab/` holds its settings): yields a `LabProcess` once its API answers. As root it
    needs --allow-root."""
    import json

    port = free_port()
    home = root / ".lab"
    for name, values in LAB_SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    environment = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
    )
    command = [
        str(ROOT / ".venv" / "bin" / "jupyter"),
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    with _serving("jupyterlab", command, port, "/api/status", root, environment) as started:
        url, process, log = started
        yield LabProcess(url, root, process, log)


class Pages:
    """Stands in for the browser in a test (`pages` fixture): every context and page opened
    through it is closed when the test ends, whether it passed or failed, so a failing test
    leaks no page into the next one."""

    def __init__(self, browser):
        self._browser = browser
        self._contexts: list = []

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        self._contexts.append(context)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def close(self) -> None:
        from playwright.sync_api import Error

        while self._contexts:
            # A context the test closed already, or whose browser went away, is closed.
            with contextlib.suppress(Error):
                self._contexts.pop().close()


# How a drawing looks, element by element: its box relative to the root given (CSS px) and the
# computed properties a host's style sheet could change. Two drawings that agree here look alike
# whatever page holds them (screenshots differ by a pixel row wherever the page puts the drawing
# at a fraction of a pixel).
LOOK_PROPERTIES = [
    "display", "visibility", "font-family", "font-size", "font-weight", "font-style",
    "line-height", "color", "background-color", "text-align", "text-decoration-line",
    "white-space", "list-style-type", "vertical-align", "table-layout",
    "margin-top", "margin-right", "margin-bottom", "margin-left",
    "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
    "border-top-color", "border-bottom-color", "fill", "stroke", "opacity",
]  # fmt: skip
LOOK = """(root, properties) => {
  const origin = root.getBoundingClientRect();
  return [root, ...root.querySelectorAll('*')].map((e) => {
    const box = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return {
      element: e.tagName.toLowerCase() + (e.getAttribute('class') ? '.' + e.getAttribute('class').trim().split(/\\s+/).join('.') : ''),
      // An element with no size (an SVG <defs>, a hidden panel) has no place to compare.
      box: box.width || box.height ? [box.left - origin.left, box.top - origin.top, box.width, box.height] : null,
      style: Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)])),
    };
  });
}"""


def look(locator) -> list[dict]:
    """How the element at `locator` and everything in it look (see LOOK)."""
    return locator.evaluate(LOOK, LOOK_PROPERTIES)


def look_differences(first: list[dict], second: list[dict], tolerance: float = 1.0) -> list:
    """Where two looks differ: elements in another order, boxes more than `tolerance` px apart,
    or any computed property; the first 20, each as (element, what, first, second)."""
    names = [[e["element"] for e in look] for look in (first, second)]
    if names[0] != names[1]:
        index = next(
            (i for i, (a, b) in enumerate(zip(*names, strict=False)) if a != b),
            min(map(len, names)),
        )
        return [("elements", index, *(n[index] if index < len(n) else None for n in names))]
    found = []
    for a, b in zip(first, second, strict=True):
        if (a["box"] is None) != (b["box"] is None) or any(
            abs(x - y) > tolerance for x, y in zip(a["box"] or [], b["box"] or [], strict=True)
        ):
            found.append((a["element"], "box", a["box"], b["box"]))
        for name, value in a["style"].items():
            if b["style"][name] != value:
                found.append((a["element"], name, value, b["style"][name]))
    return found[:20]


# `cycles` drawings created in a page and disposed of, one after another, as a notebook's
# widgets come and go: each opens every view (EN and JA, with and without an address of its own)
# and shows a tooltip, then is disposed of and its element removed. With `keep`, the last one
# stays drawn (`window.sgKept`).
CYCLES = """async ([key, cycles, keep]) => {
  const runtime = stargateExplainer.runtimes[key];
  const pageText = document.querySelector('script[data-sg-model]').textContent;
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  for (let i = 0; i < cycles; i++) {
    const el = document.createElement('div');
    document.body.append(el);
    const model = runtime.localModel({ view: 'org', lang: i % 2 ? 'ja' : 'en', embed: false });
    const address = i % 2 ? 'hash' : '';
    const drawing = runtime.createInstance({ el, pageText, model, address, ownsPage: Boolean(address) });
    for (const view of runtime.modules.rules.VIEWS) {
      model.set('view', view);
      await frame();
      el.querySelector('.sg-view:not([hidden]) .sg-plot svg [tabindex]')
        ?.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: 10, clientY: 10 }));
    }
    if (keep && i === cycles - 1) {
      window.sgKept = () => { drawing.dispose(); el.remove(); };
      break;
    }
    drawing.dispose();
    el.remove();
  }
  // Work the drawings left for idle time (their tables) runs now, on detached elements.
  for (let i = 0; i < 3; i++) await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 }));
}"""


WARM_UP = 10


def instance_cycles(browser, cycles: int = 50) -> dict:
    """What `cycles` drawings created and disposed of leave behind in a page, measured through
    the DevTools protocol after garbage collection, against the page after `WARM_UP` cycles
    (which fill what the runtime keeps on purpose, measured text widths, and what the JavaScript
    engine keeps of code it has run): event listeners on
    `window` and `document` and in the whole page, DOM nodes, and the JavaScript heap; and, for
    scale, what one drawing with every view open holds while it lives."""
    from stargate_explainer import runtime
    from stargate_explainer.model_cache import model_entry
    from stargate_explainer.static_site import script_json

    key, text = model_entry()
    page = browser.new_page()
    try:
        page.set_content(
            # A body like JupyterLab's: drawings that do not own the page follow its theme.
            f'<!doctype html><html><head></head><body data-jp-theme-light="true">'
            f'<script type="application/json" '
            f'data-sg-model="{key}">{script_json(text)}</script>'
            f"<script>{runtime.script_text()}</script></body></html>"
        )
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")

        def listeners(expression: str) -> int:
            target = cdp.send("Runtime.evaluate", {"expression": expression})["result"]
            found = cdp.send("DOMDebugger.getEventListeners", {"objectId": target["objectId"]})
            return len(found["listeners"])

        def settled_metrics() -> dict:
            # Blink sweeps what a collection found dead lazily, and its node and listener counters
            # fall only as it sweeps: a reading straight after one collection can still count a
            # thousand nodes of a disposed drawing (CI saw "one drawing" at -50 nodes). Collect
            # until two readings agree.
            previous = None
            for _ in range(20):
                cdp.send("HeapProfiler.collectGarbage")
                metrics = {
                    m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]
                }
                reading = (metrics["Nodes"], metrics["JSEventListeners"])
                if reading == previous:
                    return metrics
                previous = reading
            raise AssertionError(f"node and listener counts never settled: {reading}")

        def measure() -> dict:
            metrics = settled_metrics()
            return {
                "window_listeners": listeners("window"),
                "document_listeners": listeners("document"),
                "listeners": int(metrics["JSEventListeners"]),
                "nodes": int(metrics["Nodes"]),
                "heap_kb": round(cdp.send("Runtime.getHeapUsage")["usedSize"] / 1024),
            }

        page.evaluate(CYCLES, [runtime.key(), WARM_UP, False])
        before = measure()
        started = time.perf_counter()
        page.evaluate(CYCLES, [runtime.key(), cycles, False])
        seconds = time.perf_counter() - started
        after = measure()
        page.evaluate(CYCLES, [runtime.key(), 1, True])
        alive = measure()
        page.evaluate("window.sgKept()")
    finally:
        page.close()
    return {
        "cycles": cycles,
        "seconds": round(seconds, 1),
        "before": before,
        "after": after,
        "left": {name: after[name] - before[name] for name in before},
        "one_drawing": {name: alive[name] - after[name] for name in before},
    }
