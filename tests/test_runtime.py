"""runtime: the view runtime's ES modules joined into one module any host can load."""

from __future__ import annotations

import re

import pytest

from stargate_explainer import runtime


def test_the_module_has_one_default_export_and_no_imports():
    text = runtime.module_text()
    assert text.rstrip().endswith("export default stargateRuntime;")
    assert len(re.findall(r"^export ", text, re.M)) == 1
    assert not re.search(r"^import ", text, re.M)


def test_every_runtime_file_is_reached_from_the_entry():
    files = {p.name for p in runtime.RUNTIME.glob("*.js")}
    assert set(runtime._dependency_order()) == files


def test_each_file_comes_after_what_it_imports():
    order = runtime._dependency_order()
    for name in order:
        source = (runtime.RUNTIME / name).read_text("utf-8")
        for _, dependency in runtime._IMPORT.findall(source):
            assert order.index(dependency) < order.index(name), (name, dependency)


def test_grammar_it_does_not_understand_fails_loudly(tmp_path, monkeypatch):
    (tmp_path / "main.js").write_text(
        'import x from "./other.js";\nexport default { render() {} };\n'
    )
    monkeypatch.setattr(runtime, "RUNTIME", tmp_path)
    runtime.module_text.cache_clear()
    try:
        with pytest.raises(ValueError, match="main.js:1"):
            runtime.module_text()
    finally:
        runtime.module_text.cache_clear()


def test_the_module_parses_and_renders_in_a_browser(browser):
    """The joined module loads as an ES module and offers anywidget's `render`."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_content("<div id=host></div>")
    page.add_script_tag(
        content=runtime.module_text() + "\nwindow.__runtime = stargateRuntime;", type="module"
    )
    page.wait_for_function("window.__runtime !== undefined")
    assert page.evaluate("typeof window.__runtime.render") == "function"
    assert errors == []
    page.close()
