"""runtime: the view runtime's ES modules joined into one script any host can carry, and the
dashboard widget's loader."""

from __future__ import annotations

import json
import re

import pytest

from stargate_explainer import runtime

from .browser import instance_cycles


def test_the_script_has_no_module_syntax_and_can_be_inlined():
    text = runtime.script_text()
    assert not re.search(r"^(import|export) ", text, re.M)
    assert not re.search(r"</script|<!--", text, re.I)


def test_every_selector_of_the_stylesheet_weighs_as_an_id_but_those_of_the_page():
    css = (
        "/* a, b { } */ .sg-app { color: red; }\n@media (max-width: 640px) {\n"
        "  .sg-a, :is(.sg-b, .sg-c) > p { margin: 0; }\n}\nhtml[data-sg-theme], html body { x: y; }"
    )
    assert runtime._weighted(css) == (
        ":not(#sg-none) .sg-app{ color: red; }\n@media (max-width: 640px) {"
        ":not(#sg-none) .sg-a, :not(#sg-none) :is(.sg-b, .sg-c) > p{ margin: 0; }\n}"
        "html[data-sg-theme], html body{ x: y; }"
    )
    with pytest.raises(ValueError, match="unbalanced"):
        runtime._weighted(".sg-app { color: red;")


def test_the_joined_script_is_valid_javascript():
    """Parsed by V8 (mini-racer, as the org layout runs): a slip such as two declarations of
    one name in a file fails here, not only in a browser."""
    from py_mini_racer import MiniRacer

    MiniRacer().eval(f"new Function({json.dumps(runtime.script_text())})")


def test_every_runtime_file_is_reached_from_the_entry():
    files = {p.name for p in runtime.RUNTIME.glob("*.js")}
    generated = {"fields.js", "style.js", runtime.KEY_MODULE}
    assert set(runtime._dependency_order()) == files | generated


def test_each_file_comes_after_what_it_imports():
    order = runtime._dependency_order()
    for name in order:
        for dependency in runtime._imports(name):
            assert order.index(dependency) < order.index(name), (name, dependency)


def test_the_key_follows_the_sources(tmp_path, monkeypatch):
    before = runtime.key()
    for path in runtime.RUNTIME.iterdir():
        (tmp_path / path.name).write_text(path.read_text("utf-8"), encoding="utf-8")
    (tmp_path / "common.js").write_text(
        (tmp_path / "common.js").read_text("utf-8") + "\n// changed\n", encoding="utf-8"
    )
    monkeypatch.setattr(runtime, "RUNTIME", tmp_path)
    runtime.key.cache_clear()
    try:
        assert runtime.key() != before
    finally:
        runtime.key.cache_clear()


def test_grammar_it_does_not_understand_fails_loudly(tmp_path, monkeypatch):
    (tmp_path / "main.js").write_text(
        'import x from "./other.js";\nexport default { render() {} };\n'
    )
    monkeypatch.setattr(runtime, "RUNTIME", tmp_path)
    with pytest.raises(ValueError, match="main.js:1"):
        runtime._scope_text("main.js")


def test_the_loader_names_this_runtime():
    loader = runtime.loader_text()
    assert f'const KEY = "{runtime.key()}";' in loader
    assert "__RUNTIME_KEY__" not in loader


def test_the_script_registers_the_runtime_once_however_often_it_runs(pages):
    page = pages.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_content("<div></div>")
    for _ in range(2):
        page.add_script_tag(content=runtime.script_text())
    registered = page.evaluate(
        "(key) => { const r = stargateExplainer.runtimes[key];"
        " return [Object.keys(stargateExplainer.runtimes).length, typeof r.render, typeof r.mountHosts]; }",
        runtime.key(),
    )
    assert registered == [1, "function", "function"]
    assert errors == []


def test_drawings_created_and_disposed_of_leave_nothing_behind(pages):
    """50 drawings, each with every view opened, then disposed of: no event listener and no DOM
    node left, and less JavaScript heap than half of what one drawing holds (the browser's own
    performance timeline grows by about 1 KB a drawing)."""
    result = instance_cycles(pages, 50)
    left, one = result["left"], result["one_drawing"]
    assert one["nodes"] > 1000 and one["listeners"] > 100 and one["window_listeners"] > 0
    assert (left["window_listeners"], left["document_listeners"]) == (0, 0), result
    assert left["listeners"] <= 0 and left["nodes"] <= 0, result
    assert left["heap_kb"] < one["heap_kb"] / 2, result
