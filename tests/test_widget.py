"""widget: the live host of the view runtime. Its traits are the view state; every value a page
sends is checked, and nothing a page sends can raise or make the kernel send binary data."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from stargate_explainer import dashboard, runtime, view
from stargate_explainer import widget as widget_module
from stargate_explainer.model_cache import model_key
from stargate_explainer.page_model import build_for_file
from stargate_explainer.state import FIELDS, TRAITS


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


def _custom(widget, content, session: str = "page-1") -> None:
    widget._handle_msg(
        {
            "header": {"session": session},
            "content": {"data": {"method": "custom", "content": content}},
            "buffers": [],
        }
    )


def test_the_state_traits_are_the_state_fields():
    widget = dashboard()
    for field in FIELDS:
        assert widget.has_trait(field.name) and widget.trait_metadata(field.name, "sync")
        assert getattr(widget, field.name) == field.default
    assert widget.page_key == model_key()


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
        {"lanes": DEEP},
        {"page_key": "other"},
        {"_esm": "alert(1)"},
    ],
)
def test_malformed_values_from_a_page_are_dropped(state):
    widget = dashboard()
    before = {trait: getattr(widget, trait) for trait in (*TRAITS, "page_key", "_esm")}
    _update(widget, state)
    assert {trait: getattr(widget, trait) for trait in (*TRAITS, "page_key", "_esm")} == before


def test_wellformed_values_from_a_page_reach_python():
    widget = dashboard()
    seen = []
    widget.observe(lambda change: seen.append(change["new"]), names="currency")
    _update(widget, {"currency": "JPY", "split": {"openai": 50, "softbank": 50}, "lanes": ["plan"]})
    assert widget.currency == "JPY" and seen == ["JPY"]
    assert widget.split == {"openai": 50.0, "softbank": 50.0} and widget.lanes == ["plan"]


class Logged(logging.Handler):
    """The widget's log records (its logger writes to the kernel's own stderr and does not
    propagate, so pytest's caplog does not see them)."""

    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def logged():
    handler = Logged()
    widget_module.log.addHandler(handler)
    yield handler.records
    widget_module.log.removeHandler(handler)


@pytest.fixture
def tracebacks_to_the_page(monkeypatch):
    """What ipywidgets would show in the page: in a kernel its handler passes an exception to
    IPython's showtraceback, which sends it on the kernel's output channel."""
    shown = []

    class Shell:
        def showtraceback(self):
            shown.append("traceback")

    monkeypatch.setattr("ipywidgets.widgets.widget.get_ipython", lambda: Shell())
    return shown


@pytest.mark.parametrize(
    "message",
    [
        {"content": "not a mapping"},
        {"content": {"data": None}},
        {"content": {"data": {"method": "update", "state": "x"}}, "buffers": []},
        {"content": {"data": {"method": "nonsense"}}, "buffers": []},
        {},
        None,
    ],
)
def test_messages_a_page_should_never_send_are_logged_and_dropped(
    message, logged, tracebacks_to_the_page
):
    widget = dashboard()
    sent = Sent(widget)
    before = {trait: getattr(widget, trait) for trait in (*TRAITS, "page_key", "_esm")}
    widget._handle_msg(message)
    assert [(r.levelname, r.getMessage()) for r in logged] == [
        ("WARNING", "ignored a malformed widget message")
    ]
    assert logged[0].exc_info is not None  # the traceback goes to the server's log
    assert tracebacks_to_the_page == [] and sent.messages == []
    assert {trait: getattr(widget, trait) for trait in (*TRAITS, "page_key", "_esm")} == before


def test_a_flood_of_malformed_messages_is_logged_a_bounded_number_of_times(logged):
    widget = dashboard()
    for _ in range(widget_module.MAX_LOGGED * 5):
        widget._handle_msg({"content": "not a mapping"})
    assert len(logged) == widget_module.MAX_LOGGED + 1  # and a line saying the rest is not


def test_the_runtime_and_the_page_model_are_sent_once_per_page_as_text():
    widget = dashboard()
    sent = Sent(widget)
    for content in [{"type": "asset", "name": "runtime"}, {"type": "asset", "name": "page"}] * 2:
        _custom(widget, content)
    for content in ["x", {"type": "other"}, [1], {"type": "asset", "name": "secrets"}]:
        _custom(widget, content)
    replies = sent.custom()
    assert [reply["name"] for reply in replies] == ["runtime", "page"]
    assert replies[0]["text"] == runtime.script_text()
    assert {"data", "derived", "ui"} <= set(json.loads(replies[1]["text"]))
    assert all(buffers == [] for _, buffers in sent.messages)
    _custom(widget, {"type": "asset", "name": "page"}, session="page-2")  # the page was reloaded
    assert [reply["name"] for reply in sent.custom()] == ["runtime", "page", "page"]


def test_a_page_model_is_sent_a_bounded_number_of_times():
    widget = dashboard()
    sent = Sent(widget)
    for session in range(widget_module.MAX_ANSWERS + 10):
        _custom(widget, {"type": "asset", "name": "page"}, session=f"page-{session}")
    assert len(sent.custom()) == widget_module.MAX_ANSWERS


def test_a_widget_of_invalid_data_sends_its_problems_model(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("meta: [\n", encoding="utf-8")
    assert json.loads(dashboard(broken).page_model()) == build_for_file(broken)


def test_a_readers_kernel_imports_no_pandas_pydantic_yaml_or_plotly():
    code = (
        "import sys; import stargate_explainer as s; s.dashboard();"
        "print(sorted(m for m in ('pandas', 'pydantic', 'yaml', 'plotly') if m in sys.modules))"
    )
    dashboard()  # the model is in the cache, as `make serve` leaves it
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
