"""The live dashboard never makes a reader wait for, or turns one away for want of, a kernel
(stargate_explainer/voila_page.py, the Voilà template, server.CappedKernelManager): the page is
drawn before any kernel is ready, works with none, and the dashboard widget takes the drawing over
when the reader's kernel arrives, with what the reader chose meanwhile in its traits. Real Voilà
servers, real Chromium."""

from __future__ import annotations

import json
import sys

import nbformat
import pytest

from .browser import READY, open_local_page, voila_process, wait_for
from .conftest import ROOT

ANY_MEMORY = {"STARGATE_KERNEL_MB": "1"}


def _traits(out) -> dict:
    """The traits the kernel last wrote, or {} while there are none (or half a file)."""
    try:
        return json.loads(out.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


TRAITS = ("view", "lang", "currency", "split", "total", "date_from", "node", "market_day")
ATTACHED = "[data-sg-kernel=attached]"
# A chart's SVG is the same node as before: nothing was redrawn.
MARK = "() => { for (const svg of document.querySelectorAll('.sg-plot svg')) svg.sgMark = true; }"
UNCHANGED = "() => [...document.querySelectorAll('.sg-view:not([hidden]) .sg-plot svg')].every((svg) => svg.sgMark === true)"


def _held_back_kernel(directory, seconds: float):
    """A python3 kernelspec whose kernel starts `seconds` late: the page is drawn without it."""
    spec = directory / "kernels" / "python3"
    spec.mkdir(parents=True)
    start = (
        f"import os, sys, time; time.sleep({seconds}); "
        "os.execv(sys.executable, [sys.executable, '-m', 'ipykernel_launcher', '-f', sys.argv[1]])"
    )
    spec.joinpath("kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-c", start, "{connection_file}"],
                "display_name": "Python 3 (late)",
                "language": "python",
            }
        )
    )
    return directory


def _recording_dashboard(directory, out):
    """The dashboard, whose traits Python writes to `out` whenever one changes."""
    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    book.cells = [
        nbformat.v4.new_code_cell(
            "import json, pathlib\n"
            "from stargate_explainer import dashboard\n"
            "d = dashboard()\n"
            f"out = pathlib.Path({str(out)!r})\n"
            f"def record(change=None):\n"
            f"    out.write_text(json.dumps({{name: getattr(d, name) for name in {TRAITS!r}}}))\n"
            "d.observe(record)\n"
            "record()\n"
            "d"
        )
    ]
    path = directory / "recording.ipynb"
    nbformat.write(book, path)
    return path


def test_the_page_is_drawn_and_works_before_its_kernel_then_the_widget_takes_it_over(
    pages, tmp_path
):
    out = tmp_path / "traits.json"
    book = _recording_dashboard(tmp_path, out)
    kernels = _held_back_kernel(tmp_path / "late", 8)
    with voila_process(book, env=ANY_MEMORY, kernel_paths=(kernels,), cwd=ROOT) as running:
        page, record = open_local_page(pages, running.url + "/?view=org")
        page.wait_for_function(READY, arg="org", timeout=60_000)
        assert page.locator("[data-sg-kernel=pending]").count() == 1
        # The reader works before the kernel has answered.
        page.locator(".sg-tab[data-view=funding]").click()
        page.wait_for_function(READY, arg="funding", timeout=30_000)
        page.locator("[data-currency=JPY]").click()
        slider = page.locator(".sg-shares input[type=range]").nth(1)
        slider.focus()
        page.keyboard.press("ArrowRight")
        assert page.locator("[data-sg-kernel=pending]").count() == 1, "the kernel came too soon"
        assert not out.exists()
        page.evaluate(MARK)
        page.wait_for_selector(ATTACHED, state="attached", timeout=90_000)
        # The drawing was taken over, not drawn again, and Python has the reader's choices.
        assert page.evaluate(UNCHANGED)
        assert page.locator(".sg-app").count() == 1
        traits = json.loads(out.read_text("utf-8"))
        assert traits["view"] == "funding" and traits["currency"] == "JPY"
        assert traits["split"] and abs(sum(traits["split"].values()) - 100) < 0.05
        # From now on a reader's change reaches Python, and the address keeps following.
        page.locator(".sg-tab[data-view=timeline]").click()
        page.wait_for_function(READY, arg="timeline", timeout=30_000)
        page.wait_for_function("() => location.search.includes('view=timeline')")
        wait_for(
            lambda: _traits(out).get("view") == "timeline",
            30,
            "the reader's change did not reach Python",
        )
        assert record.errors == []
        page.goto("about:blank")


def test_with_no_kernel_to_be_had_every_view_works_and_says_so_once(pages):
    with voila_process(env={"STARGATE_MAX_KERNELS": "0", **ANY_MEMORY}) as running:
        page, record = open_local_page(pages, running.url + "/?view=org&lang=ja")
        page.wait_for_function(READY, arg="org", timeout=60_000)
        page.wait_for_selector("[data-sg-kernel=off]", state="attached")
        for view in ("funding", "timeline", "markets", "claims", "sources"):
            page.locator(f".sg-tab[data-view={view}]").click()
            page.wait_for_function(READY, arg=view, timeout=30_000)
            # The address is written after the frame that draws the view.
            page.wait_for_function(f"() => location.search.includes('view={view}')")
        page.locator(".sg-tools-button").click()
        note = page.locator(".sg-kernel-note")
        assert note.is_visible() and "Python" in note.inner_text()
        assert page.locator("[role=alert]").count() == 0
        with page.expect_download() as download:
            page.locator("[data-action=dataset-csv]").click()
        assert download.value.path().read_bytes()[:2] == b"PK"
        page.go_back()  # back restores the view before
        page.wait_for_function(READY, arg="claims", timeout=30_000)
        assert not running.kernels()
        assert record.errors == [] and record.external == []


@pytest.mark.parametrize(
    "query", ["?view=timeline&lang=ja&from=2025-01&to=2025-12", "?view=markets&day=2025-01-22"]
)
def test_the_state_is_taken_from_the_address(pages, query):
    with voila_process(env={"STARGATE_MAX_KERNELS": "0", **ANY_MEMORY}) as running:
        page, _ = open_local_page(pages, running.url + "/" + query)
        view = "timeline" if "timeline" in query else "markets"
        page.wait_for_function(READY, arg=view, timeout=60_000)
        if view == "timeline":
            assert page.locator(".sg-app").get_attribute("lang") == "ja"
            assert "2025" in page.locator(".sg-range-text").inner_text()
        else:
            assert page.locator("[data-day='2025-01-22']").get_attribute("aria-pressed") == "true"
        assert page.evaluate("location.search") == query
