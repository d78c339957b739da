"""static_site: one self-contained page per language that needs no kernel and no network."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from stargate_explainer.static_site import page_path, script_json

MAX_PAGE_BYTES = 2_500_000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site as `make export` builds it: through the command line."""
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [sys.executable, "-m", "stargate_explainer", "export-site", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    # It prints each page it wrote as "PATH (N bytes)".
    pages = [Path(line.rsplit(" (", 1)[0]) for line in run.stdout.splitlines() if " (" in line]
    return out, pages


def test_one_page_per_language_under_the_size_limit(site):
    out, pages = site
    assert [p.relative_to(out).as_posix() for p in pages] == [page_path("en"), page_path("ja")]
    for page in pages:
        assert page.stat().st_size < MAX_PAGE_BYTES


def test_pages_name_no_address_outside_the_page_but_the_sources(site):
    _, written = site
    html = written[0].read_text("utf-8")
    markup = re.sub(r"<script([^>]*)>.*?</script>", r"<script\1></script>", html, flags=re.S)
    loads = re.findall(r'<(?:script|img|iframe|link|source)\b[^>]*\b(?:src|href)="([^"]+)"', markup)
    assert [url for url in loads if not url.endswith("index.html")] == []
    assert "require.js" not in markup and "MathJax" not in markup and "cdn." not in markup


def test_data_files_sit_next_to_the_pages(site):
    out, _ = site
    names = {p.name for p in (out / "data").iterdir()}
    assert {"stargate.json", "stargate-csv.zip", "sources.csv", "events.csv"} <= names


def test_the_inlined_model_cannot_close_its_script_element():
    assert (
        script_json('{"a": "</script><b>&"}')
        == '{"a": "\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    )


def test_pages_draw_offline_from_file(pages, site):
    from .browser import READY

    _, written = site
    requested = []

    def route(request_route):
        if request_route.request.url.startswith(("file:", "data:", "blob:")):
            request_route.continue_()
        else:
            requested.append(request_route.request.url)
            request_route.abort()

    for path in written:
        page = pages.new_page()
        page.route("**/*", route)
        page.goto(path.as_uri())
        page.wait_for_function(READY, arg="org", timeout=30_000)
        assert requested == []
