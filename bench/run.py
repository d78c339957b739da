"""`make bench`: the explainer's speed as ratios against baselines measured in the same run.

Prints a table and writes it as JSON under bench/results/. A benchmark, not a test: these
figures come from a noisy 2-core machine, so targets live here and never in unit tests.

1. Landing view: time until the org chart is drawn (headless Chromium, network cut at the
   machine's edge) vs a bare one-cell notebook served by the same Voilà; median of warm runs.
2. Interactions, live and static: from the input event to the first paint after the chart
   changed (share slider, preset, total, currency, language switch, timeline filter, org
   selection); median and p95.
3. Kernel memory: resident size of a dashboard page's kernel vs a bare notebook's.
4. Static page: size, and the time to draw the funding view offline from file:// vs a page that
   holds only plotly.js (the package's bundle) and one bar chart.
5. Scale: a synthetic dataset 100x the real one (valid against the schema): load + validate
   time, landing view time and static page size, each as a ratio to the real dataset.
6. Crowds: 10 and 25 readers opening the dashboard at once on a fresh server: how many are
   drawn, p95 vs a lone reader, and the kernels still running 60 s after they all leave.
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
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import plotly
import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stargate_explainer import load  # noqa: E402
from stargate_explainer.static_site import build_site  # noqa: E402
from tests.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    READY,
    VoilaProcess,
    instance_cycles,
    open_at_once,
    open_page,
    voila_process,
    wait_ready,
)

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
BARE_READY = """() => {
  const loading = document.querySelector('#loading');
  if (loading && getComputedStyle(loading).display !== 'none') return false;
  return [...document.querySelectorAll('pre')].some((p) => p.textContent.includes('bare'));
}"""

# Timed inside the page: from just before the input event is dispatched to the first paint
# after a chart's drawing (a data-revision change), so Playwright's round trips are excluded.
MEASURE = """async ([action, i]) => {
  const root = document.querySelector('.sg-app').parentElement;
  const start = performance.now();
  const done = new Promise((resolve) => {
    const observer = new MutationObserver((records) => {
      if (records.some((r) => r.target.getAttribute('data-revision') !== '0')) {
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
      }
    });
    observer.observe(root, { attributes: true, subtree: true, attributeFilter: ['data-revision'] });
  });
  new Function('i', action)(i);
  return await done;
}"""
INPUT = """const input = document.querySelector(%r);
input.value = String(%s);
input.dispatchEvent(new Event(%r, { bubbles: true }));"""
INTERACTIONS = {
    # name: (view to open, action run with i = 0, 1, 2, …)
    "share_slider": ("funding", INPUT % ("#sg-share-openai", "i % 2 ? 30 : 50", "input")),
    "preset": (
        "funding",
        INPUT
        % (
            "#sg-preset",
            "i % 2 ? 'equal' : document.querySelector('#sg-preset option').value",
            "change",
        ),
    ),
    "total": ("funding", INPUT % ("#sg-total", "i % 2 ? 300 : 400", "input")),
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


def time_loads(browser, url: str, ready, runs: int, renders: list | None = None) -> list[float]:
    """Seconds from navigation to `ready`, for a cold first load then `runs` warm ones; the
    runtime's own render time (ms) of each load is appended to `renders` when given."""
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        page, record = open_page(browser, url)
        ready(page)
        times.append(time.perf_counter() - start)
        if renders is not None:
            renders.append(page.evaluate(RUNTIME_RENDER))
        assert not record.external, record.external
        page.context.close()
    return times


def interactions(browser, link, samples: int) -> dict:
    """Latency of every interaction on the host whose link maker is `link(view)`."""
    results = {}
    for name, (view, action) in INTERACTIONS.items():
        page, _ = open_page(browser, link(view))
        wait_ready(page, view)
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
        page.context.close()
    return results


def kernel_memory(browser, running: VoilaProcess, ready) -> float:
    """Resident MB of the kernel one page open costs the server (the newest kernel)."""
    page, _ = open_page(browser, running.url)
    ready(page)
    time.sleep(1.5)
    newest = max(running.kernels(), key=lambda kernel: kernel.create_time())
    rss = newest.memory_info().rss / 2**20
    page.context.close()
    return round(rss, 1)


def crowd(browser, readers: int, linger_s: int = 60, notebook: Path | None = None) -> dict:
    """`readers` pages requested at once from a fresh server, all polled together; with
    `notebook`, a bare notebook's crowd (the same server and clients, no dashboard)."""
    ready = f"({BARE_READY})()" if notebook else f"({READY})('org')"
    with voila_process(**({"notebook": notebook} if notebook else {})) as running:
        url = running.url + ("" if notebook else "/?view=org")
        times = open_at_once(browser, url, readers, ready)
        left = len(running.kernels())
        time.sleep(linger_s)
        return {
            "readers": readers,
            "drawn": len(times),
            "p95_s": round(percentile(times, 0.95), 2) if times else None,
            "kernels_when_left": left,
            "kernels_after_linger": len(running.kernels()),
            "linger_s": linger_s,
        }


def synthetic_dataset(directory: Path, copies: int) -> Path:
    """The real dataset and `copies - 1` renamed copies of every record, references kept inside
    each copy, so the file is valid and `copies` times larger."""
    document = yaml.safe_load((ROOT / "data" / "stargate.yaml").read_text("utf-8"))
    grown = {table: list(rows) if table != "meta" else rows for table, rows in document.items()}
    for k in range(1, copies):
        suffix = f"-x{k}"
        for table, rows in document.items():
            if table == "meta":
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
    parser.add_argument("--readers", type=int, nargs="*", default=[10, 25], help="crowd sizes")
    args = parser.parse_args()
    results: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    subprocess.run(
        [sys.executable, "-m", "stargate_explainer", "warm-cache"], check=True, capture_output=True
    )
    org_ready = lambda page: wait_ready(page, "org")  # noqa: E731
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        bare_ready = lambda page: page.wait_for_function(BARE_READY, timeout=120_000, polling=20)  # noqa: E731
        with voila_process(notebook=bare_notebook(scratch)) as running:
            bare = time_loads(browser, running.url, bare_ready, args.runs)
            bare_rss = kernel_memory(browser, running, bare_ready)
        with voila_process() as running:
            url = running.url
            renders: list = []
            landing = time_loads(browser, url + "/", org_ready, args.runs, renders)
            dashboard_rss = kernel_memory(browser, running, org_ready)
            live = interactions(browser, lambda view: f"{url}/?view={view}", args.samples)
        results["landing"] = {
            "bare_median_s": round(statistics.median(bare[1:]), 3),
            "dashboard_median_s": round(statistics.median(landing[1:]), 3),
            "bare_cold_s": round(bare[0], 3),
            "dashboard_cold_s": round(landing[0], 3),
            "runtime_render_ms": round(statistics.median(r for r in renders if r), 1),
        }
        results["landing"]["ratio"] = round(
            results["landing"]["dashboard_median_s"] / results["landing"]["bare_median_s"], 2
        )
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
            big_landing = time_loads(browser, running.url + "/", org_ready, 2)
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
        results["crowds"] = [crowd(browser, readers) for readers in args.readers]
        # The same crowd of a bare one-cell notebook: what Voilà, the kernels and the readers'
        # browsers on this machine cost without the dashboard.
        results["bare_crowd"] = crowd(
            browser, args.readers[0], linger_s=0, notebook=bare_notebook(scratch)
        )
        browser.close()

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{results['date'][:19].replace(':', '')}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"written: {out.relative_to(ROOT)}")
    return 0


def print_table(results: dict) -> None:
    row = "{:40} {:>10} {:>10} {:>7} {:>9}"
    landing, memory, static, scale = (
        results["landing"],
        results["memory"],
        results["static"],
        results["scale"],
    )
    print(row.format("figure", "value", "baseline", "ratio", "target"))
    print(
        row.format(
            "landing view, warm median (s)",
            landing["dashboard_median_s"],
            landing["bare_median_s"],
            landing["ratio"],
            "≤ 1.25",
        )
    )
    print(
        row.format("  of which the runtime's render (ms)", landing["runtime_render_ms"], "", "", "")
    )
    print(
        row.format(
            "landing view, cold (s)",
            landing["dashboard_cold_s"],
            landing["bare_cold_s"],
            round(landing["dashboard_cold_s"] / landing["bare_cold_s"], 2),
            "",
        )
    )
    print(row.format("interaction (ms)", "median", "p95", "", "≤ 25/50"))
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
        print(row.format(f"static page {name} (MB)", round(size / 1e6, 2), "", "", "≤ 2.5"))
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
            landing["dashboard_median_s"],
            scale["landing_ratio"],
            "≤ 2",
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
    single = landing["dashboard_median_s"]
    for crowd_result in results["crowds"]:
        readers, p95 = crowd_result["readers"], crowd_result["p95_s"]
        print(
            row.format(
                f"{readers} readers at once: drawn", crowd_result["drawn"], readers, "", "all"
            )
        )
        print(
            row.format(
                f"{readers} readers at once: p95 (s)",
                p95,
                single,
                round(p95 / single, 1) if p95 else "—",
                "≤ 3" if readers == 10 else "",
            )
        )
        print(
            row.format(
                f"{readers} readers: kernels left after 60 s",
                crowd_result["kernels_after_linger"],
                crowd_result["kernels_when_left"],
                "",
                "0",
            )
        )
    bare = results.get("bare_crowd")
    if bare and bare["p95_s"]:
        dashboard = results["crowds"][0]
        print(
            row.format(
                f"{bare['readers']} readers, bare notebook: p95 (s)",
                bare["p95_s"],
                landing["bare_median_s"],
                round(bare["p95_s"] / landing["bare_median_s"], 1),
                "",
            )
        )
        print(
            row.format(
                f"{bare['readers']} readers: dashboard vs bare p95",
                dashboard["p95_s"],
                bare["p95_s"],
                round(dashboard["p95_s"] / bare["p95_s"], 2) if dashboard["p95_s"] else "—",
                "",
            )
        )


if __name__ == "__main__":
    sys.exit(main())
