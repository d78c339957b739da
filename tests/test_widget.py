"""widget: the live host of the view runtime. Its traits are the view state; every value a page
sends is checked, and nothing a page sends can raise or make the kernel send binary data."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from stargate_explainer import dashboard, view
from stargate_explainer.state import TRAITS


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


DEEP = _nested(5000)


class Sent:
    """Captures what the widget sends to its page."""

    def __init__(self, widget):
        self.messages: list[tuple[dict, list]] = []
        widget.comm.send = lambda data=None, metadata=None, buffers=None: self.messages.append(
            (data, buffers or [])
        )

    def custom(self) -> list[dict]:
        return [m["content"] for m, _ in self.messages if m.get("method") == "custom"]


def _update(widget, state: dict) -> None:
    widget._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})


def _custom(widget, content) -> None:
    widget._handle_msg(
        {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
    )


def test_the_state_traits_are_the_link_parameters():
    widget = dashboard()
    for trait in TRAITS:
        assert widget.has_trait(trait) and widget.trait_metadata(trait, "sync")
    model = json.loads(widget.page)
    assert {"data", "derived", "ui"} <= set(model)


def test_python_sets_the_opening_state():
    widget = view("funding", lang="ja", currency="JPY")
    assert (widget.view, widget.lang, widget.currency, widget.embed) == (
        "funding",
        "ja",
        "JPY",
        True,
    )
    with pytest.raises(ValueError):
        view("nowhere")


@pytest.mark.parametrize(
    "state",
    [
        {"total": float("nan")},
        {"total": "lots"},
        {"view": ["org"]},
        {"lang": "fr"},
        {"split": {"openai": float("inf")}},
        {"lanes": [[[[]]]]},
        {"page": "{}"},
        {"_esm": "alert(1)"},
    ],
)
def test_malformed_values_from_a_page_are_dropped(state):
    widget = dashboard()
    page, before = widget.page, {trait: getattr(widget, trait) for trait in TRAITS}
    _update(widget, state)
    assert {trait: getattr(widget, trait) for trait in TRAITS} == before
    assert widget.page == page


def test_wellformed_values_from_a_page_reach_python():
    widget = dashboard()
    seen = []
    widget.observe(lambda change: seen.append(change["new"]), names="currency")
    _update(widget, {"currency": "JPY", "split": {"openai": 50, "softbank": 50}, "lanes": ["plan"]})
    assert widget.currency == "JPY" and seen == ["JPY"]
    assert widget.split == {"openai": 50.0, "softbank": 50.0} and widget.lanes == ["plan"]


@pytest.mark.parametrize(
    "message",
    [
        {"content": "not a mapping"},
        {"content": {"data": None}},
        {"content": {"data": {"method": "update", "state": "x"}}, "buffers": []},
        {"content": {"data": {"method": "update", "state": {"lanes": DEEP}}}, "buffers": []},
        {},
        None,
    ],
)
def test_messages_a_page_should_never_send_do_not_raise(message):
    widget = dashboard()
    widget._handle_msg(message)  # logged and dropped; a raise here would reach the page


def test_the_dataset_csv_files_are_sent_once_per_page_as_text():
    widget = dashboard()
    sent = Sent(widget)
    for content in [{"type": "dataset-csv"}, {"type": "dataset-csv"}, "x", {"type": "other"}, [1]]:
        _custom(widget, content)
    replies = sent.custom()
    assert len(replies) == 1
    files = replies[0]["files"]
    assert "sources.csv" in files and files["sources.csv"].startswith("id,")
    assert all(buffers == [] for _, buffers in sent.messages)


def test_invalid_data_gives_a_problems_model_with_the_file_name_only(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("meta: [\n", encoding="utf-8")
    model = json.loads(dashboard(broken).page)
    assert model["problems"]["file"] == "broken.yaml"
    assert all(item.startswith("broken.yaml:") for item in model["problems"]["items"])
    assert str(tmp_path) not in json.dumps(model)


def test_a_readers_kernel_imports_no_pandas_pydantic_yaml_or_plotly():
    code = (
        "import sys; import stargate_explainer as s; s.dashboard();"
        "print(sorted(m for m in ('pandas', 'pydantic', 'yaml', 'plotly') if m in sys.modules))"
    )
    dashboard()  # the model is in the cache, as `make serve` leaves it
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
