"""`make bench`: the dashboard's speed as ratios against a baseline measured in the same run.

Prints a table and writes it as JSON under bench/results/. A benchmark, not a test: these
figures are measured on a noisy 2-core machine, so targets live here and never in unit tests.

1. Render: time until every chart of the landing view is drawn (headless Chromium, network cut
   at the machine's edge) for the dashboard vs a bare one-cell notebook served the same way;
   median of warm runs and the cold first run.
2. Interaction latency: from input to redrawn SVG for a funding slider, the currency switch,
   the language switch and a timeline lane filter; median and p95.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, open_page, voila_server, wait_ready  # noqa: E402

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="warm page loads per notebook")
    parser.add_argument("--samples", type=int, default=20, help="inputs per interaction")
    args = parser.parse_args()
    results: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
    }
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        with voila_server(notebook=bare_notebook(Path(scratch))) as url:
            bare = time_loads(browser, url, BARE_READY, args.runs)
        with voila_server() as url:
            dashboard = time_loads(
                browser, url + "/?view=org", lambda p: wait_ready(p, 1), args.runs
            )
            results["render"] = {"bare": summary(bare), "dashboard": summary(dashboard)}
            results["render"]["ratio_median"] = round(
                results["render"]["dashboard"]["median_s"] / results["render"]["bare"]["median_s"],
                2,
            )

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
    print(f"written: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
