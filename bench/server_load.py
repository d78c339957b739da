"""How many readers one Voilà server draws in time, and what a burst of requests costs it.

    .venv/bin/python bench/server_load.py capacity [--max 8]
    .venv/bin/python bench/server_load.py burst [--gets 40] [--config DIR]

`capacity`: a lone reader's time until the kernel has taken over the drawn page (median of
three, each on a fresh server), then N readers arriving at once (N = 2, 3, ...; a fresh server
each, with no kernel cap) until the slowest of them takes more than 3x the lone reader's time.
Every reader's page is drawn before its kernel starts, so this counts kernels, not pages: the
largest N within 3x is the `STARGATE_MAX_KERNELS` default (see docs/deploy.md); each kernel's
peak resident memory is printed beside it.

`burst`: N plain GETs of the dashboard at once, as one client can send them: the answers
(status, time), and the most kernels and memory (server plus kernels, resident) seen while they
run. `--config DIR` runs Voilà from DIR, i.e. with DIR/voila.json (e.g. an older voila.json to
measure before a change).

A benchmark, not a test: figures from a noisy 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# tests.browser raises the kernel cap for test servers; these measurements use the settings of
# the environment they are run in.
ENVIRONMENT = dict(os.environ)

from tests.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    open_at_once,
    voila_process,
)

NOTEBOOK = ROOT / "dashboards" / "stargate.ipynb"
# The page's host element once the reader's kernel has taken the drawing over.
ATTACHED = "document.querySelector('[data-sg-kernel=attached]') !== null"


def resident_mb(processes: list[psutil.Process]) -> float:
    total = 0
    for process in processes:
        with suppress(psutil.Error):
            total += process.memory_info().rss
    return total / 2**20


def peak_mb(process: psutil.Process) -> float | None:
    """A process's peak resident size (VmHWM)."""
    try:
        for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def readers(browser, count: int) -> tuple[list[float], list[float]]:
    """`count` pages opened at once on a fresh server without a cap (nor a bound per client
    address: every reader here comes from 127.0.0.1): the time until each one's kernel took
    over its page, and each kernel's peak resident memory."""
    uncapped = {"STARGATE_MAX_KERNELS": "1000", "STARGATE_KERNELS_PER_ADDRESS": "1000"}
    with voila_process(NOTEBOOK, env=uncapped, base_env=ENVIRONMENT) as running:
        times = open_at_once(browser, running.url + "/?view=org", count, ATTACHED)
        peaks = [peak for peak in map(peak_mb, running.kernels()) if peak is not None]
        if len(times) < count:
            return [float("inf")] * count, peaks
        return times, peaks


def capacity(largest: int) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        lone_runs = [readers(browser, 1)[0][0] for _ in range(3)]
        lone = statistics.median(lone_runs)
        print(f"lone reader: {lone:.2f} s (runs {', '.join(f'{t:.2f}' for t in lone_runs)})")
        rows, best = [], 1
        for count in range(2, largest + 1):
            times, peaks = readers(browser, count)
            slowest = max(times)
            within = slowest <= 3 * lone
            rows.append(
                {
                    "readers": count,
                    "slowest_s": round(slowest, 2),
                    "median_s": round(statistics.median(times), 2),
                    "ratio": round(slowest / lone, 2),
                    "kernel_peak_mb": round(max(peaks), 1) if peaks else None,
                }
            )
            print(
                f"{count:>2} readers: slowest {slowest:6.2f} s ({slowest / lone:4.2f}x), median "
                f"{statistics.median(times):6.2f} s, kernel peak {rows[-1]['kernel_peak_mb']} MB"
            )
            if not within:
                break
            best = count
        browser.close()
    print(f"most readers within 3x a lone reader's time: {best}")
    return {"lone_s": round(lone, 2), "lone_runs_s": lone_runs, "crowds": rows, "capacity": best}


def burst(gets: int, config_dir: Path) -> dict:
    with voila_process(NOTEBOOK, cwd=config_dir, base_env=ENVIRONMENT) as running:
        url, process = running.url, psutil.Process(running.process.pid)
        results: list[tuple[int, float]] = []

        def get() -> None:
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url + "/", timeout=600) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            results.append((status, time.perf_counter() - start))

        threads = [threading.Thread(target=get) for _ in range(gets)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        most_kernels, most_mb = 0, 0.0
        while any(thread.is_alive() for thread in threads):
            kernels = running.kernels()
            most_kernels = max(most_kernels, len(kernels))
            most_mb = max(most_mb, resident_mb([process, *kernels]))
            time.sleep(0.25)
        elapsed = time.perf_counter() - start
        statuses: dict[int, int] = {}
        for status, _ in results:
            statuses[status] = statuses.get(status, 0) + 1
        refused = [t for status, t in results if status == 503]
        served = [t for status, t in results if status == 200]
        outcome = {
            "gets": gets,
            "config": str(config_dir),
            "statuses": statuses,
            "all_answered_s": round(elapsed, 2),
            "slowest_503_s": round(max(refused), 3) if refused else None,
            "slowest_200_s": round(max(served), 2) if served else None,
            "most_kernels": most_kernels,
            "most_resident_mb": round(most_mb),
        }
        print(json.dumps(outcome, indent=1))
        return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    capacity_parser = commands.add_parser("capacity")
    capacity_parser.add_argument("--max", type=int, default=8, help="largest crowd tried")
    burst_parser = commands.add_parser("burst")
    burst_parser.add_argument("--gets", type=int, default=40)
    burst_parser.add_argument("--config", type=Path, default=ROOT, help="directory of voila.json")
    args = parser.parse_args()
    if args.command == "capacity":
        capacity(args.max)
    else:
        burst(args.gets, args.config.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
