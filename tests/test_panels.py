from __future__ import annotations

import pytest

from stargate_explainer import load, panels
from stargate_explainer.frames import Frames
from stargate_explainer.problems import DataError, Problem

PAYLOAD = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def frames():
    return Frames(load())


def test_link_refuses_anything_but_http():
    assert panels.link("javascript:alert(1)", "x") == "x"
    assert panels.link("https://example.com/?a=1&b=<2>", PAYLOAD) == (
        '<a href="https://example.com/?a=1&amp;b=&lt;2&gt;" target="_blank" rel="noopener noreferrer">'
        "&lt;script&gt;alert(1)&lt;/script&gt;</a>"
    )


def test_source_footer_lists_exactly_the_cited_sources(frames):
    ids = list(frames.sources.index[:3])
    footer = panels.source_footer(frames, ids + ids[:1], ["confirmed"], "en")
    assert footer.count("<li>") == 3
    for url in frames.sources.loc[ids, "url"]:
        assert panels.escape(url) in footer
    assert "sg-note" not in footer
    assert "sg-note" in panels.source_footer(frames, ids, ["confirmed", "unverified"], "en")


def test_node_details_show_commitments_with_status_and_sources(frames):
    details = panels.node_details(frames, "softbank", "en")
    commitments = frames.commitments_of("softbank")
    assert details.count('class="sg-badge"') == len(commitments)
    first_source = frames.sources.loc[commitments.iloc[0]["source_ids"][0]]
    assert panels.escape(first_source["url"]) in details


def test_claims_html_shows_every_claim_and_correction(frames):
    page = panels.claims_html(frames, "ja")
    assert page.count('class="sg-claim"') == len(frames.dataset.claims)
    assert page.count('class="sg-correction"') == len(frames.dataset.corrections)


def test_error_panel_escapes_and_lists_every_problem():
    error = DataError([Problem(PAYLOAD, 3, "a", "b"), Problem("f.yaml", 1, "x", PAYLOAD)])
    page = panels.error_panel(error, "ja")
    assert 'role="alert"' in page and page.count("<li>") == 2
    assert "<script>" not in page
