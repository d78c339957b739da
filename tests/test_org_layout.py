"""The org chart's layout as the page model ships it: who is drawn, in which band, and boxes and
routes that a reader can follow (the drawn chart's crossings are counted in test_views.py)."""

from __future__ import annotations

import pytest

from stargate_explainer import load, org_layout
from stargate_explainer.page_model import VENTURE_ID, funders


@pytest.fixture(scope="module")
def document():
    return load().document


@pytest.fixture(scope="module")
def layout(document):
    return org_layout.org_layout(document, VENTURE_ID, funders(document))


def _drawn(layout) -> list[str]:
    return [org for band in layout["bands"] for org in band["ids"]]


def test_every_linked_organisation_is_in_one_band_in_order(layout, document):
    drawn = _drawn(layout)
    assert len(drawn) == len(set(drawn))
    assert set(drawn) == {org for e in layout["edges"] for org in (e["from"], e["to"])}
    names = [band["band"] for band in layout["bands"]]
    assert names == [b for b in org_layout.BANDS if b in names]
    assert layout["bands"][0] == {"band": "funders", "ids": funders(document)}
    assert layout["bands"][1] == {"band": "venture", "ids": [VENTURE_ID]}


def test_commitments_are_drawn_or_listed_as_unlinked(layout, document):
    drawn = {c for e in layout["edges"] for c in e["commitments"]}
    assert drawn.isdisjoint(layout["unlinked"])
    assert drawn | set(layout["unlinked"]) == {c.id for c in document.commitments}
    for edge in layout["edges"]:
        kinds = {c.kind for c in document.commitments if c.id in edge["commitments"]}
        assert kinds == {edge["kind"]}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_boxes_do_not_overlap_and_bands_stack(layout, lang):
    geometry = layout["geometry"][lang]
    boxes = geometry["nodes"]
    assert set(boxes) == set(_drawn(layout))
    items = list(boxes.items())
    for i, (a, (ax, ay, aw, ah)) in enumerate(items):
        assert (
            ax >= 0 and ax + aw <= geometry["width"] and ay >= 0 and ay + ah <= geometry["height"]
        )
        for b, (bx, by, bw, bh) in items[i + 1 :]:
            apart = ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
            assert apart, (a, b)
    spans = geometry["bands"]
    assert all(upper[1] < lower[0] for upper, lower in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_routes_run_at_right_angles_from_box_to_box(layout, lang):
    geometry = layout["geometry"][lang]
    assert len(geometry["routes"]) == len(layout["edges"])

    def on_border(point, box):
        x, y, w, h = box
        inside = x - 0.5 <= point[0] <= x + w + 0.5 and y - 0.5 <= point[1] <= y + h + 0.5
        edge = min(
            abs(point[0] - x), abs(point[0] - x - w), abs(point[1] - y), abs(point[1] - y - h)
        )
        return inside and edge <= 0.5

    for edge, route in zip(layout["edges"], geometry["routes"], strict=True):
        assert on_border(route[0], geometry["nodes"][edge["from"]]), edge
        assert on_border(route[-1], geometry["nodes"][edge["to"]]), edge
        for (x0, y0), (x1, y1) in zip(route, route[1:], strict=False):
            assert x0 == x1 or y0 == y1, edge


def test_a_longer_name_gets_a_taller_or_wider_box_never_wider_than_the_limit():
    short = org_layout._box("MGX", False, False)
    long = org_layout._box("Tata Consultancy Services (HyperVault)", False, False)
    japanese = org_layout._box(
        "タタ・コンサルタンシー・サービシズ（ハイパーボールト）", False, False
    )
    assert long[0] > short[0] and long[1] > short[1]
    pad = 2 * org_layout.TEXT["pad"][0]
    for width, _ in (short, long, japanese):
        assert width <= org_layout.NAME_MAX + pad + 1
    assert org_layout.text_width("億", 14) == 14  # a CJK character is one em


def test_too_many_organisations_ship_no_geometry(document, monkeypatch):
    monkeypatch.setattr(org_layout, "MAX_ORGS", 3)
    layout = org_layout.org_layout(document, VENTURE_ID, funders(document))
    assert layout["geometry"] is None
    assert layout["bands"] and layout["edges"]  # the list still has what it needs


def test_the_layout_is_the_same_every_build(layout, document):
    again = org_layout.org_layout(document, VENTURE_ID, funders(document))
    assert again == layout
