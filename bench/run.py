"""`make bench`: the explainer's speed as ratios against baselines measured in the same run.

Prints a table and writes it as JSON under bench/results/. A benchmark, not a test: these
figures come from a noisy 2-core machine, so targets live here and never in unit tests.

Every live page is opened as a reader opens it: a fresh browser context, the network cut at the
machine's edge by a dead proxy (Chromium still reaches 127.0.0.1; no request interception, which
would drop Voilà's unload beacon), and left by navigating away before the context closes.

1. Landing view: time until the org chart is drawn, measured in the page from its navigation,
   vs a bare one-cell notebook's output served by Voilà's defaults on the same machine; runs
   alternate between the two. The requests each page makes are counted beside.
2. Interactions, live and static: from the input event to the first paint after the chart
   changed (share slider, preset, total, currency, language switch, timeline filter, org
   selection); median and p95.
3. Kernel memory: resident size of a dashboard page's kernel vs a bare notebook's.
4. Static page: size, and the time to draw the funding view offline from file:// vs a page that
   holds only plotly.js (the package's bundle) and one bar chart.
5. Scale: a synthetic dataset 100x the real one (valid against the schema): load + validate
   time, landing view time and static page size, each as a ratio to the real dataset.
6. Crowds: 25 and 100 readers opening the dashboard at once on a fresh server: how many are
   drawn, p95 vs a lone reader, busy pages, the most kernels and server memory seen, and the
   kernels still running 60 s after they all leave; one reader who navigates away, and how long
   until the server has stopped their kernel.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import plotly
import psutil
import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stargate_explainer import load, settings  # noqa: E402
from stargate_explainer.static_site import build_site  # noqa: E402
from tests.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    READY,
    VoilaProcess,
    instance_cycles,
    voila_process,
    wait_ready,
)

# tests.browser relaxes the server's limits for tests; the bench measures `make serve`'s own.
for name in ("STARGATE_MAX_KERNELS", "STARGATE_KERNEL_MB"):
    os.environ.pop(name, None)

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
REFERENCE_FIELDS = (
    "org_id",
    "to_id",
    "speaker_id",
    "replies_to",
    "outcome_event_id",
    "superseded_by",
    "archived_copy_of",
)
LIST_REFERENCES = ("sources", "org_ids", "verdict_sources")
RESULTS = ROOT / "bench" / "results"
# A bare notebook's output is on the page (Voilà's own loading overlay gone).
BARE_READY = """() => {
  const loading = document.querySelector('#loading');
  if (loading && getComputedStyle(loading).display !== 'none') return false;
  return [...document.querySelectorAll('pre')].some((p) => p.textContent.includes('bare'));
}"""
# The dashboard's widget has taken over the page's drawing (or no kernel will come).
ATTACHED = (
    "() => document.querySelector('[data-sg-kernel=attached], [data-sg-kernel=off]') !== null"
)
# Records in the page, from its own navigation, when `ready` first holds (ms).
READY_AT = """(() => {
  const ready = %s;
  window.__readyAt = null;
  const check = () => {
    if (window.__readyAt === null && ready()) {
      window.__readyAt = performance.now();
      window.__requestsAtReady = performance.getEntriesByType('resource').length + 1;
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();"""
# Chromium with the network cut at the machine's edge: a proxy that answers nothing (loopback
# bypasses proxies), so what a page loads from elsewhere fails as it would offline.
DEAD_PROXY = "--proxy-server=http://127.0.0.1:9"

# Timed inside the page: from just before the input event is dispatched to the first paint
# after a chart's drawing (a data-revision change) or after another drawing was put in place (a
# language shown again), so Playwright's round trips are excluded.
MEASURE = """async ([action, i]) => {
  const root = document.querySelector('.sg-app').parentElement;
  const start = performance.now();
  const done = new Promise((resolve) => {
    // A chart drawn anew, or (a language shown again) another drawing put in place.
    const observer = new MutationObserver((records) => {
      if (records.some((r) => (r.type === 'childList' ? r.target === root : r.target.getAttribute('data-revision') !== '0'))) {
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
      }
    });
    observer.observe(root, { attributes: true, subtree: true, attributeFilter: ['data-revision'], childList: true });
  });
  new Function('i', action)(i);
  return await done;
}"""
INPUT = """const input = document.querySelector(%r);
input.value = String(%s);
input.dispatchEvent(new Event(%r, { bubbles: true }));"""
INTERACTIONS = {
    # name: (view to open, action run with i = 0, 1, 2, …)
    "share_slider": (
        "funding",
        INPUT % ("[data-control=share][data-funder=openai]", "i % 2 ? 30 : 50", "input"),
    ),
    "preset": (
        "funding",
        INPUT
        % (
            "[data-control=preset]",
            "i % 2 ? 'equal' : document.querySelector('[data-control=preset] option').value",
            "change",
        ),
    ),
    "total": ("funding", INPUT % ("[data-control=total]", "i % 2 ? 300 : 400", "input")),
    "currency": (
        "funding",
        "document.querySelector(`[data-currency=${i % 2 ? 'USD' : 'JPY'}]`).click();",
    ),
    "language_switch": (
        "funding",
        "document.querySelector(`.sg-lang [data-lang=${i % 2 ? 'en' : 'ja'}]`).click();",
    ),
    "timeline_filter": ("timeline", "document.querySelector('.sg-lane-toggle input').click();"),
    "org_selection": (
        "org",
        "document.querySelectorAll('.sg-node')[i % 5 + 1].dispatchEvent(new MouseEvent('click', { bubbles: true }));",
    ),
}


def bare_notebook(directory: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("print('bare')")]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = directory / "bare.ipynb"
    nbformat.write(notebook, path)
    return path


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


RUNTIME_RENDER = "(performance.getEntriesByName('sg-render')[0] || {}).duration || null"


class Reader:
    """One reader's page: a fresh context, the page, the requests it made and the status of
    its page load; `leave()` navigates away, as people do."""

    def __init__(self, browser, url: str, ready: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.page.add_init_script(READY_AT % ready)
        self.requests = 0
        self.status = None
        self.page.on("request", self._request)
        self.page.on("response", self._response)
        self.page.goto(url, wait_until="commit")

    def _request(self, _request) -> None:
        self.requests += 1

    def _response(self, response) -> None:
        if response.request.is_navigation_request() and self.status is None:
            self.status = response.status

    def ready_ms(self) -> float | None:
        return self.page.evaluate("window.__readyAt")

    def requests_at_ready(self) -> int:
        """Requests the page had made (itself included) when it was ready."""
        return self.page.evaluate("window.__requestsAtReady")

    def leave(self) -> None:
        """Navigate away, as people leave (the page's unload beacon goes). The context stays
        open until its browser closes: `BrowserContext.close` after a Voilà page never returned
        in three of today's runs, and Playwright gives it no time-out."""
        with suppress(PlaywrightError):
            self.page.goto("about:blank", wait_until="commit")


def landing(browser, dashboard_url: str, bare_url: str, runs: int) -> dict:
    """A cold first load of each, then `runs` warm loads alternating between the dashboard and
    the bare notebook: ms to the first chart (the bare output), requests each page made (after
    the widget took over, or the bare output was shown, and a second to settle)."""
    times: dict[str, list[float]] = {"dashboard": [], "bare": []}
    requests: dict[str, list[int]] = {"dashboard": [], "bare": []}
    first: dict[str, list[int]] = {"dashboard": [], "bare": []}
    renders = []
    pairs = [
        ("dashboard", dashboard_url, f"() => ({READY})('org')"),
        ("bare", bare_url, BARE_READY),
    ]
    for _ in range(runs + 1):
        for name, url, ready in pairs:
            reader = Reader(browser, url, ready)
            reader.page.wait_for_function("window.__readyAt !== null", timeout=120_000, polling=50)
            times[name].append(reader.ready_ms())
            first[name].append(reader.requests_at_ready())
            if name == "dashboard":
                renders.append(reader.page.evaluate(RUNTIME_RENDER))
                reader.page.wait_for_function(ATTACHED, timeout=120_000, polling=50)
            reader.page.wait_for_timeout(1000)
            requests[name].append(reader.requests)
            reader.leave()
    out = {
        "dashboard_median_s": round(statistics.median(times["dashboard"][1:]) / 1000, 3),
        "bare_median_s": round(statistics.median(times["bare"][1:]) / 1000, 3),
        "dashboard_cold_s": round(times["dashboard"][0] / 1000, 3),
        "bare_cold_s": round(times["bare"][0] / 1000, 3),
        "dashboard_requests": statistics.median(requests["dashboard"]),
        "bare_requests": statistics.median(requests["bare"]),
        "dashboard_requests_at_ready": statistics.median(first["dashboard"]),
        "bare_requests_at_ready": statistics.median(first["bare"]),
        "runtime_render_ms": round(statistics.median(r for r in renders if r), 1),
    }
    out["ratio"] = round(out["dashboard_median_s"] / out["bare_median_s"], 2)
    return out


def interactions(browser, link, samples: int) -> dict:
    """Latency of every interaction on the host whose link maker is `link(view)`."""
    results = {}
    for name, (view, action) in INTERACTIONS.items():
        reader = Reader(browser, link(view), f"() => ({READY})({view!r})")
        page = reader.page
        wait_ready(page, view)
        if page.locator("[data-sg-address=query]").count():  # live: with the widget attached
            page.wait_for_function(ATTACHED, timeout=120_000, polling=50)
        page.wait_for_timeout(300)
        times = []
        for i in range(samples):
            times.append(page.evaluate(MEASURE, [action, i]))
            page.wait_for_timeout(60)  # a reader's inputs are spaced
        results[name] = {
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "samples": samples,
        }
        reader.leave()
    return results


def kernel_memory(browser, running: VoilaProcess, url: str, ready: str) -> float:
    """Resident MB of the kernel one page open costs the server (the newest kernel)."""
    reader = Reader(browser, url, ready)
    reader.page.wait_for_function("window.__readyAt !== null", timeout=120_000, polling=50)
    reader.page.wait_for_timeout(1500)
    newest = max(running.kernels(), key=lambda kernel: kernel.create_time())
    rss = newest.memory_info().rss / 2**20
    reader.leave()
    return round(rss, 1)


class Watch(threading.Thread):
    """Samples a server every 0.2 s: the most kernels it ran, the most memory the server and
    its kernels held together (MB)."""

    def __init__(self, running: VoilaProcess):
        super().__init__(daemon=True)
        self.running = running
        self.kernels = 0
        self.memory_mb = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        server = psutil.Process(self.running.process.pid)
        while not self.stopped.wait(0.2):
            try:
                processes = [server, *server.children(recursive=True)]
                memory = sum(p.memory_info().rss for p in processes if p.is_running()) / 2**20
            except psutil.Error:
                continue
            self.kernels = max(self.kernels, len(self.running.kernels()))
            self.memory_mb = max(self.memory_mb, memory)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def crowd(launch, readers: int, linger_s: int = 60, notebook: Path | None = None) -> dict:
    """`readers` pages requested at once from a fresh server, all polled together until each is
    drawn; then they all navigate away and their browser closes, as people leave. With
    `notebook`, a bare notebook's crowd (the same server and clients, no dashboard). `launch`
    starts the crowd's own browser, closed when they have left (see `Reader.leave`)."""
    ready = BARE_READY if notebook else f"() => ({READY})('org')"
    # The bare notebook with Voilà's own defaults (no voila.json: run from its own directory).
    served = {"notebook": notebook, "cwd": notebook.parent} if notebook else {}
    with voila_process(**served) as running:
        watch = Watch(running)
        watch.start()
        url = running.url + ("/" if notebook else "/?view=org")
        browser = launch()
        crowd_readers = [Reader(browser, url, ready) for _ in range(readers)]
        # Each page's own clock says when it was drawn, so waiting for the pages one after
        # another measures them all at once; a page not drawn by the deadline is not drawn.
        deadline = time.monotonic() + 300
        times: dict[int, float] = {}
        for index, reader in enumerate(crowd_readers):
            remaining_ms = max(1, (deadline - time.monotonic()) * 1000)
            with suppress(PlaywrightError):
                reader.page.wait_for_function(
                    "window.__readyAt !== null", timeout=remaining_ms, polling=200
                )
                times[index] = reader.ready_ms() / 1000
        busy = sum(1 for reader in crowd_readers if reader.status == 503)
        for reader in crowd_readers:
            reader.leave()
        browser.close()
        left = len(running.kernels())
        gone_after = None
        started = time.monotonic()
        while time.monotonic() - started < linger_s:
            if gone_after is None and not running.kernels():
                gone_after = round(time.monotonic() - started, 1)
            time.sleep(0.5)
        watch.stop()
        drawn = list(times.values())
        return {
            "readers": readers,
            "drawn": len(drawn),
            "busy": busy,
            "p95_s": round(percentile(drawn, 0.95), 2) if drawn else None,
            "most_kernels": watch.kernels,
            "most_memory_mb": round(watch.memory_mb),
            "kernels_when_left": left,
            "kernels_after_linger": len(running.kernels()),
            "all_gone_after_s": gone_after,
            "linger_s": linger_s,
        }


def navigate_away(browser) -> float | None:
    """Seconds from a reader navigating away (their widget attached) until the server has no
    kernel left."""
    with voila_process() as running:
        reader = Reader(browser, running.url + "/?view=org", ATTACHED)
        reader.page.wait_for_function("window.__readyAt !== null", timeout=120_000, polling=50)
        left = time.monotonic()
        reader.leave()
        while time.monotonic() - left < 120:
            if not running.kernels():
                return round(time.monotonic() - left, 1)
            time.sleep(0.2)
        return None


def synthetic_dataset(directory: Path, copies: int) -> Path:
    """The real dataset and `copies - 1` renamed copies of every record, references kept inside
    each copy, so the file is valid and `copies` times larger."""
    document = yaml.safe_load((ROOT / "data" / "stargate.yaml").read_text("utf-8"))
    grown = {table: list(rows) if table != "meta" else rows for table, rows in document.items()}
    for k in range(1, copies):
        suffix = f"-x{k}"
        for table, rows in document.items():
            if table in ("meta", "publishers"):  # one publisher per domain, shared by the copies
                continue
            for row in rows:
                clone = copy.deepcopy(row)
                if "id" in clone:
                    clone["id"] += suffix
                for field in REFERENCE_FIELDS:
                    if clone.get(field):
                        clone[field] += suffix
                for field in LIST_REFERENCES:
                    if field in clone:
                        clone[field] = [ref + suffix for ref in clone[field]]
                grown[table].append(clone)
    path = directory / f"synthetic-{copies}x.yaml"
    path.write_text(yaml.safe_dump(grown, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def plotly_baseline_page(directory: Path) -> Path:
    """A page with only plotly.js and one bar chart: the static page's yardstick."""
    page = directory / "plotly-baseline.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><script>"
        + PLOTLY_JS.read_text("utf-8")
        + "</script></head><body><div id='chart'></div><script>"
        "Plotly.newPlot('chart', [{type: 'bar', x: [19, 19, 7, 7], y: ['a', 'b', 'c', 'd'],"
        " orientation: 'h'}]).then(() => { document.body.dataset.ready = 'true'; });"
        "</script></body></html>",
        encoding="utf-8",
    )
    return page


def offline_open(browser, path: Path, ready: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        page = browser.new_page()
        page.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith(("file:", "data:", "blob:"))
                else r.abort()
            ),
        )
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function(ready, timeout=120_000, polling=10)
        times.append(time.perf_counter() - start)
        page.close()
    return round(statistics.median(times), 3)


def disposed_drawings(browser) -> dict:
    """What 50 drawings created and disposed of in one page leave behind: listeners, DOM nodes
    and heap, against what one drawing holds (tests/browser.instance_cycles)."""
    return instance_cycles(browser, 50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="warm page loads per notebook")
    parser.add_argument("--samples", type=int, default=20, help="inputs per interaction")
    parser.add_argument("--copies", type=int, default=100, help="size of the scale dataset, x real")
    parser.add_argument("--readers", type=int, nargs="*", default=[25, 100], help="crowd sizes")
    args = parser.parse_args()
    results: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    subprocess.run(
        [sys.executable, "-m", "stargate_explainer", "warm-cache"], check=True, capture_output=True
    )
    org_ready = f"() => ({READY})('org')"
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)

        def launch():
            return playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, DEAD_PROXY]
            )

        browser = launch()
        # The bare notebook with Voilà's own defaults: its template, no voila.json.
        with (
            voila_process(notebook=bare_notebook(scratch), cwd=scratch) as bare,
            voila_process() as running,
        ):
            url = running.url
            results["landing"] = landing(browser, url + "/", bare.url + "/", args.runs)
            bare_rss = kernel_memory(browser, bare, bare.url + "/", BARE_READY)
            dashboard_rss = kernel_memory(browser, running, url + "/", ATTACHED)
            live = interactions(browser, lambda view: f"{url}/?view={view}", args.samples)
        results["memory"] = {
            "dashboard_mb": dashboard_rss,
            "bare_mb": bare_rss,
            "ratio": round(dashboard_rss / bare_rss, 2),
        }

        site = scratch / "site"
        started = time.perf_counter()
        pages = build_site(load(), site)
        export_s = time.perf_counter() - started
        static = interactions(
            browser, lambda view: f"{pages[0].as_uri()}#view={view}", args.samples
        )
        results["latency"] = {"live": live, "static": static}
        funding_page = site / "funding.html"
        funding_page.write_text(
            pages[0].read_text("utf-8").replace('data-sg-view="org"', 'data-sg-view="funding"'),
            encoding="utf-8",
        )
        results["static"] = {
            "export_s": round(export_s, 2),
            "page_bytes": {p.relative_to(site).as_posix(): p.stat().st_size for p in pages},
            "funding_offline_s": offline_open(browser, funding_page, f"() => ({READY})('funding')"),
            "plotly_baseline_s": offline_open(
                browser,
                plotly_baseline_page(scratch),
                "() => document.body.dataset.ready === 'true'",
            ),
            "plotly_bytes": PLOTLY_JS.stat().st_size,
        }
        results["static"]["ratio"] = round(
            results["static"]["funding_offline_s"] / results["static"]["plotly_baseline_s"], 2
        )

        # Scale: the same measurements on a dataset `copies` times the real one.
        os.environ["STARGATE_MAX_BYTES"] = str(512 * 2**20)
        big = synthetic_dataset(scratch, args.copies)
        started = time.perf_counter()
        load(big)
        big_load = time.perf_counter() - started
        started = time.perf_counter()
        load()
        real_load = time.perf_counter() - started
        subprocess.run(
            [sys.executable, "-m", "stargate_explainer", "warm-cache", "--data", str(big)],
            check=True,
            capture_output=True,
            env=dict(os.environ),
        )
        with voila_process(data=big) as running:
            big_landing = [_first_chart_s(browser, running.url + "/", org_ready) for _ in range(3)]
        big_site = build_site(load(big), scratch / "big-site")
        results["scale"] = {
            "copies": args.copies,
            "file_bytes": big.stat().st_size,
            "load_validate_s": round(big_load, 2),
            "load_validate_real_s": round(real_load, 3),
            "load_ratio": round(big_load / real_load, 1),
            "landing_s": round(statistics.median(big_landing[1:]), 2),
            "landing_ratio": round(
                statistics.median(big_landing[1:]) / results["landing"]["dashboard_median_s"], 2
            ),
            "page_bytes": big_site[0].stat().st_size,
            "page_ratio": round(
                big_site[0].stat().st_size / results["static"]["page_bytes"]["index.html"], 1
            ),
        }
        results["disposal"] = disposed_drawings(browser)
        results["crowds"] = [crowd(launch, readers) for readers in args.readers]
        # The same crowd of a bare one-cell notebook: what Voilà, the kernels and the readers'
        # browsers on this machine cost without the dashboard.
        results["bare_crowd"] = crowd(
            launch, args.readers[0], linger_s=0, notebook=bare_notebook(scratch)
        )
        results["navigate_away_s"] = navigate_away(browser)
        browser.close()

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{results['date'][:19].replace(':', '')}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"written: {out.relative_to(ROOT)}")
    return 0


def _first_chart_s(browser, url: str, ready: str) -> float:
    reader = Reader(browser, url, ready)
    reader.page.wait_for_function("window.__readyAt !== null", timeout=120_000, polling=50)
    seconds = reader.ready_ms() / 1000
    reader.leave()
    return seconds


def print_table(results: dict) -> None:
    row = "{:40} {:>10} {:>10} {:>7} {:>9}"
    landing, memory, static, scale = (
        results["landing"],
        results["memory"],
        results["static"],
        results["scale"],
    )
    single = landing["dashboard_median_s"]
    print(row.format("figure", "value", "baseline", "ratio", "target"))
    print(
        row.format(
            "landing: first chart, warm median (s)",
            single,
            landing["bare_median_s"],
            landing["ratio"],
            "≤ 1 (0.5)",
        )
    )
    print(
        row.format(
            "  requests made by then",
            landing["dashboard_requests_at_ready"],
            landing["bare_requests_at_ready"],
            "",
            "",
        )
    )
    print(
        row.format(
            "  requests made in all",
            landing["dashboard_requests"],
            landing["bare_requests"],
            "",
            "",
        )
    )
    print(
        row.format("  of which the runtime's render (ms)", landing["runtime_render_ms"], "", "", "")
    )
    print(
        row.format(
            "landing: first chart, cold (s)",
            landing["dashboard_cold_s"],
            landing["bare_cold_s"],
            round(landing["dashboard_cold_s"] / landing["bare_cold_s"], 2),
            "",
        )
    )
    print(row.format("interaction (ms)", "median", "p95", "", "≤ 16/33"))
    for host in ("live", "static"):
        for name, value in results["latency"][host].items():
            print(row.format(f"  {host}: {name}", value["median_ms"], value["p95_ms"], "", ""))
    print(
        row.format(
            "kernel memory (MB)",
            memory["dashboard_mb"],
            memory["bare_mb"],
            memory["ratio"],
            "≤ 1.3",
        )
    )
    for name, size in static["page_bytes"].items():
        print(row.format(f"static page {name} (MB)", round(size / 1e6, 2), "", "", "≤ 1"))
    print(
        row.format(
            "funding offline from file:// (s)",
            static["funding_offline_s"],
            static["plotly_baseline_s"],
            static["ratio"],
            "≤ 2",
        )
    )
    print(
        row.format(
            f"scale x{scale['copies']}: load+validate (s)",
            scale["load_validate_s"],
            scale["load_validate_real_s"],
            scale["load_ratio"],
            "≤ 120",
        )
    )
    print(
        row.format(
            f"scale x{scale['copies']}: landing view (s)",
            scale["landing_s"],
            single,
            scale["landing_ratio"],
            "",
        )
    )
    print(
        row.format(
            f"scale x{scale['copies']}: static page (MB)",
            round(scale["page_bytes"] / 1e6, 2),
            round(static["page_bytes"]["index.html"] / 1e6, 2),
            scale["page_ratio"],
            "",
        )
    )
    left, one = results["disposal"]["left"], results["disposal"]["one_drawing"]
    print(
        row.format(
            "50 drawings disposed: nodes/listeners left",
            f"{left['nodes']}/{left['listeners']}",
            f"{one['nodes']}/{one['listeners']}",
            "",
            "0/0",
        )
    )
    for crowd_result in [*results["crowds"], results.get("bare_crowd")]:
        if not crowd_result:
            continue
        bare = crowd_result is results.get("bare_crowd")
        name = f"{crowd_result['readers']} readers{', bare notebook' if bare else ''}"
        base = landing["bare_median_s"] if bare else single
        readers, p95 = crowd_result["readers"], crowd_result["p95_s"]
        print(
            row.format(
                f"{name}: drawn / busy", crowd_result["drawn"], crowd_result["busy"], "", "all / 0"
            )
        )
        print(
            row.format(
                f"{name}: p95 (s)",
                p95,
                base,
                round(p95 / base, 1) if p95 else "—",
                "≤ 3" if readers == 25 and not bare else "",
            )
        )
        if bare:
            continue
        cap = settings.MAX_KERNELS.value()
        ceiling = round(cap * memory["dashboard_mb"] + 300)
        print(
            row.format(
                f"{name}: most kernels, memory (MB)",
                crowd_result["most_kernels"],
                crowd_result["most_memory_mb"],
                "",
                f"{cap}, {ceiling}",
            )
        )
        print(
            row.format(
                f"{name}: kernels left after {crowd_result['linger_s']} s",
                crowd_result["kernels_after_linger"],
                crowd_result["kernels_when_left"],
                "",
                "0",
            )
        )
    print(
        row.format(
            "navigated away: kernel stopped after (s)", results["navigate_away_s"], "", "", "≤ 15"
        )
    )


if __name__ == "__main__":
    sys.exit(main())
