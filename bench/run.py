"""`make bench`: the dashboard's speed as ratios against a baseline measured in the same run.

Prints a table and writes it as JSON under bench/results/. A benchmark, not a test: these
figures are measured on a noisy 2-core machine, so targets live here and never in unit tests.

1. Render: time until every chart of the landing view is drawn (headless Chromium, network cut
   at the machine's edge) for the dashboard vs a bare one-cell notebook served the same way;
   median of warm runs and the cold first run.
2. Interaction latency: from input to redrawn SVG for a funding slider, the currency switch,
   the language switch and a timeline lane filter; median and p95.
3. Kernel memory: resident size of a dashboard page's kernel vs a bare notebook's.
4. Export: time of the static export, page sizes vs plotly.min.js, offline open time.
5. Scale: a synthetic dataset 100x the real one (valid against the schema): load+validate
   time, render time and export size, each as a ratio to the real dataset.
6. Load: 10 and 25 readers opening the dashboard at once on a fresh server: how many render,
   p95 time vs a single reader, and the kernels still running 60 s after they all leave.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import plotly
import psutil
import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stargate_explainer import load  # noqa: E402
from stargate_explainer.export import PLOTLY_JS, build_site  # noqa: E402
from tests.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    READY,
    open_page,
    voila_server,
    wait_ready,
)

FULL_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
REFERENCE_FIELDS = ("org_id", "to_id", "speaker_id", "replies_to")

RESULTS = ROOT / "bench" / "results"
BARE_READY = """() => {
  const loading = document.querySelector('#loading');
  if (loading && getComputedStyle(loading).display !== 'none') return false;
  return [...document.querySelectorAll('pre')].some((p) => p.textContent.includes('bare'));
}"""


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


def time_loads(browser, url: str, ready, runs: int) -> list[float]:
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        page, record = open_page(browser, url)
        if callable(ready):
            ready(page)
        else:
            page.wait_for_function(ready, timeout=120_000, polling=20)
        times.append(time.perf_counter() - start)
        assert not record.external, record.external
        page.close()
    return times


def summary(times: list[float]) -> dict[str, float]:
    warm = times[1:]
    return {
        "cold_s": round(times[0], 3),
        "median_s": round(statistics.median(warm), 3),
        "runs": len(warm),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# Timed inside the page, from the input event to the figure's next drawn revision, so that the
# figure excludes Playwright's own round trips.
MEASURE = """async ([action, figureIndex, i]) => {
  const figure = document.querySelectorAll('.stargate-figure')[figureIndex];
  const before = +figure.dataset.revision;
  const start = performance.now();
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (+figure.dataset.revision > before) { observer.disconnect(); resolve(performance.now() - start); }
    });
    observer.observe(figure, { attributes: true, attributeFilter: ['data-revision'] });
  });
  new Function('i', action)(i);
  return await done;
}"""
SLIDER_KEY = """const handle = document.querySelectorAll('.sg-controls .widget-slider .noUi-handle')[4];
handle.dispatchEvent(new KeyboardEvent('keydown', {key: i % 2 ? 'ArrowLeft' : 'ArrowRight', bubbles: true}));
handle.dispatchEvent(new KeyboardEvent('keyup', {key: i % 2 ? 'ArrowLeft' : 'ArrowRight', bubbles: true}));"""
CLICK_BUTTON = """const labels = %s;
[...document.querySelectorAll('.sg-app button')].find((b) => b.innerText.trim() === labels[i %% 2]).click();"""
CLICK_CHECKBOX = "document.querySelector('.sg-view-timeline input[type=checkbox]').click();"


def latency(page, action: str, figure_index: int, samples: int) -> dict[str, float]:
    times = []
    for i in range(samples):
        times.append(page.evaluate(MEASURE, [action, figure_index, i]))
        page.wait_for_timeout(100)  # let the kernel settle, as a reader's inputs are spaced
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "samples": samples,
    }


def kernel_rss_mb(url: str) -> float:
    """Resident memory of the newest kernel of the Voilà server at `url`: the one the page
    just opened (kernels of closed pages live on until culled)."""
    port = url.rsplit(":", 1)[1].split("/")[0]
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if any(part.endswith("voila") for part in cmdline) and f"--port={port}" in cmdline:
            newest = max(process.children(recursive=True), key=lambda child: child.create_time())
            return round(newest.memory_info().rss / 2**20, 1)
    raise RuntimeError(f"no Voilà server on port {port}")


def kernel_memory(browser, url: str, ready) -> float:
    """One page open: the kernel its reader costs the server."""
    page, _ = open_page(browser, url)
    ready(page)
    time.sleep(1)
    rss = kernel_rss_mb(url)
    page.close()
    return rss


def server_kernels(url: str) -> int:
    port = url.rsplit(":", 1)[1].split("/")[0]
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if any(part.endswith("voila") for part in cmdline) and f"--port={port}" in cmdline:
            return len(process.children(recursive=True))
    raise RuntimeError(f"no Voilà server on port {port}")


def crowd(browser, readers: int, linger_s: int = 60) -> dict:
    """`readers` pages requested at once from a fresh server; all on loopback, bounded."""
    with voila_server() as url:
        starts, pages = [], []
        for _ in range(readers):
            starts.append(time.perf_counter())
            pages.append(open_page(browser, url + "/?view=org")[0])
        # Every page is polled in turn, so a reader that never renders does not add its wait
        # to the times of the readers after it.
        done: dict[int, float] = {}
        deadline = time.perf_counter() + 300
        while len(done) < readers and time.perf_counter() < deadline:
            for index, page in enumerate(pages):
                if index not in done and page.evaluate(f"({READY})(1)"):
                    done[index] = time.perf_counter() - starts[index]
            time.sleep(0.2)
        times, rendered = list(done.values()), len(done)
        for page in pages:
            page.close()
        running = server_kernels(url)
        time.sleep(linger_s)
        return {
            "readers": readers,
            "rendered": rendered,
            "p95_s": round(percentile(times, 0.95), 2) if times else None,
            "kernels_when_left": running,
            f"kernels_after_{linger_s}s": server_kernels(url),
        }


def synthetic_dataset(directory: Path, copies: int) -> Path:
    """The real dataset and `copies - 1` renamed copies of every record, references kept
    inside each copy, so the file is valid and `copies` times larger."""
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
                for field in ("sources", "org_ids"):
                    if field in clone:
                        clone[field] = [ref + suffix for ref in clone[field]]
                grown[table].append(clone)
    path = directory / f"synthetic-{copies}x.yaml"
    path.write_text(yaml.safe_dump(grown, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def export_figures(browser, data: Path | None, scratch: Path) -> dict:
    out = scratch / f"site-{data.stem if data else 'real'}"
    start = time.perf_counter()
    pages = build_site(load(data), out)
    seconds = time.perf_counter() - start
    page_bytes = {p.relative_to(out).as_posix(): p.stat().st_size for p in pages}
    start = time.perf_counter()
    page = browser.new_page()
    page.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
    )
    page.goto(pages[0].as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=300_000)
    open_seconds = time.perf_counter() - start
    page.close()
    return {
        "export_s": round(seconds, 2),
        "page_bytes": page_bytes,
        "open_s": round(open_seconds, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="warm page loads per notebook")
    parser.add_argument("--samples", type=int, default=20, help="inputs per interaction")
    parser.add_argument("--copies", type=int, default=100, help="size of the scale dataset, x real")
    parser.add_argument("--readers", type=int, nargs="*", default=[10, 25], help="crowd sizes")
    args = parser.parse_args()
    results: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
    }
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        with voila_server(notebook=bare_notebook(Path(scratch))) as url:
            bare = time_loads(browser, url, BARE_READY, args.runs)
            bare_rss = kernel_memory(browser, url, lambda p: p.wait_for_function(BARE_READY))
        with voila_server() as url:
            dashboard = time_loads(
                browser, url + "/?view=org", lambda p: wait_ready(p, 1), args.runs
            )
            results["render"] = {"bare": summary(bare), "dashboard": summary(dashboard)}
            results["render"]["ratio_median"] = round(
                results["render"]["dashboard"]["median_s"] / results["render"]["bare"]["median_s"],
                2,
            )

            dashboard_rss = kernel_memory(browser, url + "/?view=org", lambda p: wait_ready(p, 1))
            page, _ = open_page(browser, url + "/?view=funding")
            wait_ready(page, 4)
            slider = latency(page, SLIDER_KEY, 0, args.samples)
            currency = latency(page, CLICK_BUTTON % '["JPY", "USD"]', 0, args.samples)
            language = latency(
                page, CLICK_BUTTON % '["日本語", "English"]', 0, max(4, args.samples // 2)
            )
            page.close()
            page, _ = open_page(browser, url + "/?view=timeline")
            wait_ready(page, 1)
            timeline = latency(page, CLICK_CHECKBOX, 0, args.samples)
            page.close()
        results["memory"] = {
            "dashboard_kernel_mb": dashboard_rss,
            "bare_kernel_mb": bare_rss,
            "ratio": round(dashboard_rss / bare_rss, 2),
        }
        results["export"] = export_figures(browser, None, Path(scratch))
        results["export"]["plotly_full_bytes"] = FULL_PLOTLY_JS.stat().st_size
        results["export"]["plotly_inlined_bytes"] = PLOTLY_JS.stat().st_size

        # Scale: the same measurements on a dataset `copies` times the real one.
        os.environ["STARGATE_MAX_BYTES"] = str(512 * 2**20)
        big = synthetic_dataset(Path(scratch), args.copies)
        start = time.perf_counter()
        load(big)
        big_load = time.perf_counter() - start
        start = time.perf_counter()
        load()
        real_load = time.perf_counter() - start
        with voila_server(data=big) as url:
            big_render = time_loads(
                browser, url + "/?view=org", lambda p: wait_ready(p, 1, 300_000), 1
            )
        big_export = export_figures(browser, big, Path(scratch))
        real_page = results["export"]["page_bytes"]["index.html"]
        results["scale"] = {
            "copies": args.copies,
            "file_bytes": big.stat().st_size,
            "load_validate_s": round(big_load, 2),
            "load_validate_real_s": round(real_load, 2),
            "load_ratio": round(big_load / real_load, 1),
            "render_s": round(statistics.median(big_render[1:]), 2),
            "render_ratio": round(
                statistics.median(big_render[1:]) / results["render"]["dashboard"]["median_s"], 2
            ),
            "export_page_bytes": big_export["page_bytes"]["index.html"],
            "export_size_ratio": round(big_export["page_bytes"]["index.html"] / real_page, 1),
            "export_s": big_export["export_s"],
        }
        results["load"] = [crowd(browser, readers) for readers in args.readers]
        browser.close()
    results["latency"] = {
        "funding_slider": slider,
        "currency_switch": currency,
        "language_switch": language,
        "timeline_filter": timeline,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{results['date'][:19].replace(':', '')}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    render = results["render"]
    print(f"{'figure':34} {'value':>12} {'baseline':>12} {'ratio':>7} {'target':>8}")
    print(
        f"{'render, warm median (s)':34} {render['dashboard']['median_s']:>12} {render['bare']['median_s']:>12} "
        f"{render['ratio_median']:>7} {'≤ 1.5':>8}"
    )
    print(
        f"{'render, cold first run (s)':34} {render['dashboard']['cold_s']:>12} {render['bare']['cold_s']:>12} "
        f"{round(render['dashboard']['cold_s'] / render['bare']['cold_s'], 2):>7} {'':>8}"
    )
    print(f"{'interaction (ms)':34} {'median':>12} {'p95':>12} {'':>7} {'target':>8}")
    for name, value in results["latency"].items():
        print(f"{name:34} {value['median_ms']:>12} {value['p95_ms']:>12} {'':>7} {'≤ 50':>8}")
    memory, export, scale = results["memory"], results["export"], results["scale"]
    print(
        f"{'kernel memory (MB)':34} {memory['dashboard_kernel_mb']:>12} {memory['bare_kernel_mb']:>12} "
        f"{memory['ratio']:>7} {'≤ 2':>8}"
    )
    for page_name, size in export["page_bytes"].items():
        print(
            f"{'export page ' + page_name + ' (MB)':34} {size / 1e6:>12.2f} {export['plotly_full_bytes'] / 1e6:>12.2f} "
            f"{size / export['plotly_full_bytes']:>7.2f} {'≤ 1.3':>8}"
        )
    print(
        f"{'  vs the inlined basic bundle':34} {'':>12} {export['plotly_inlined_bytes'] / 1e6:>12.2f} "
        f"{export['page_bytes']['index.html'] / export['plotly_inlined_bytes']:>7.2f}"
    )
    print(f"{'export time / offline open (s)':34} {export['export_s']:>12} {export['open_s']:>12}")
    print(
        f"{'scale x' + str(scale['copies']) + ': load+validate (s)':34} {scale['load_validate_s']:>12} "
        f"{scale['load_validate_real_s']:>12} {scale['load_ratio']:>7}"
    )
    print(
        f"{'scale x' + str(scale['copies']) + ': render (s)':34} {scale['render_s']:>12} "
        f"{results['render']['dashboard']['median_s']:>12} {scale['render_ratio']:>7} {'≤ 2':>8}"
    )
    print(
        f"{'scale x' + str(scale['copies']) + ': export page (MB)':34} {scale['export_page_bytes'] / 1e6:>12.2f} "
        f"{export['page_bytes']['index.html'] / 1e6:>12.2f} {scale['export_size_ratio']:>7}"
    )
    single = results["render"]["dashboard"]["median_s"]
    for crowd_result in results["load"]:
        readers = crowd_result["readers"]
        p95 = crowd_result["p95_s"]
        print(
            f"{f'load {readers} readers: rendered':34} {crowd_result['rendered']:>12} {readers:>12}"
        )
        print(
            f"{f'load {readers} readers: p95 (s)':34} {p95:>12} {single:>12} {round(p95 / single, 1) if p95 else '—':>7}"
        )
        print(
            f"{f'load {readers} readers: kernels left/60s':34} {crowd_result['kernels_when_left']:>12} "
            f"{crowd_result['kernels_after_60s']:>12} {'':>7} {'→ 0':>8}"
        )
    print(f"written: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
