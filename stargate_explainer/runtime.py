"""The view runtime as one script, for every host; and the dashboard widget's small loader.

The runtime is written as small ES modules in `static/runtime/` (each names what it imports from
the others with `import { a, b } from "./x.js"`). Hosts need one script they can inline into a
page that works from `file://` (where a module cannot import another file), into a notebook's
output, or hand to a widget, so this joins them: each file becomes a function scope that returns
its exports, in dependency order. Three modules are made here rather than read from files:
`fields.js` (the view state's declaration, `state.declaration()`), `style.js` (the stylesheet)
and `build.js` (the runtime's `KEY`, a digest of everything else).

The joined text is a classic script that registers the runtime once per page, under its key, in
`globalThis.stargateExplainer.runtimes` (the entry's default export: `render`, anywidget's
front-end contract, `mountHosts` and the rest). A page can carry it many times (every notebook
output does, so each draws after a reload or in an export) and it runs once. A classic script,
unlike a module, runs while the page is still arriving: the Voilà page draws before its kernel.
No bundler, no npm: the grammar accepted is the small one the runtime uses, and anything else
fails loudly here.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path

from . import state

STATIC = Path(__file__).resolve().parent / "static"
RUNTIME = STATIC / "runtime"
LOADER = STATIC / "loader.js"
ENTRY = "main.js"
STYLE = "style.css"
KEY_MODULE = "build.js"

_IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([a-z0-9_]+\.js)";\n', re.M)
_EXPORT_DECLARATION = re.compile(
    r"^export (?:async )?(function\*?|const|let|class) ([A-Za-z_$][\w$]*)", re.M
)
_EXPORT_DEFAULT = re.compile(r"^export default ", re.M)
_ANY_EXPORT_OR_IMPORT = re.compile(r"^(?:export|import)\b", re.M)
# Text that would end or hide an inline <script> element early.
_UNSAFE_INLINE = re.compile(r"</script|<!--", re.I)


def _generated() -> dict[str, str]:
    return {
        "fields.js": "".join(
            f"export const {name} = {json.dumps(value, ensure_ascii=False)};\n"
            for name, value in state.declaration().items()
        ),
        "style.js": f"export const STYLESHEET = {json.dumps(css_text(), ensure_ascii=False)};\n",
    }


def _source(name: str) -> str:
    if name == KEY_MODULE:
        return f'export const KEY = "{key()}";\n'
    generated = _generated()
    if name in generated:
        return generated[name]
    return (RUNTIME / name).read_text("utf-8")


def _imports(name: str) -> list[str]:
    if name == KEY_MODULE:
        return []
    return [dependency for _, dependency in _IMPORT.findall(_source(name))]


@functools.cache
def key() -> str:
    """A digest of the runtime's sources: two outputs with the same key run the same code."""
    digest = hashlib.sha256()
    for name in _dependency_order():
        if name != KEY_MODULE:
            digest.update(name.encode() + b"\0" + _source(name).encode("utf-8"))
    return digest.hexdigest()[:16]


@functools.cache
def script_text() -> str:
    """The whole runtime as one classic script that registers itself once per page."""
    runtime_key = key()
    parts = [
        f"// Stargate Explained view runtime {runtime_key}: joined from static/runtime/ by runtime.py.",
        "(() => {",
        "const shared = (globalThis.stargateExplainer ??= { runtimes: {} });",
        f'if (shared.runtimes["{runtime_key}"]) return;',
    ]
    order = _dependency_order()
    for name in order:
        parts.append(_scope_text(name))
    modules = ", ".join(f"{name.removesuffix('.js')}: {_scope(name)}" for name in order)
    parts.append(
        f'shared.runtimes["{runtime_key}"] = '
        f"{{ ...{_scope(ENTRY)}.__default, key: {json.dumps(runtime_key)}, modules: {{ {modules} }} }};"
    )
    parts.append("})();")
    text = "\n".join(parts) + "\n"
    unsafe = _UNSAFE_INLINE.search(text)
    if unsafe:
        line = text[: unsafe.start()].count("\n") + 1
        raise ValueError(
            f"the runtime cannot be inlined in a page: {unsafe.group(0)!r} at line {line}"
        )
    return text


def _scope_text(name: str) -> str:
    """One file as a function scope that returns its exports."""
    source = _source(name)
    bindings = [
        f"const {{ {_destructure(names)} }} = {_scope(dependency)};"
        for names, dependency in _IMPORT.findall(source)
    ]
    body = _IMPORT.sub("", source)
    exported = [match[1] for match in _EXPORT_DECLARATION.findall(body)]
    body = _EXPORT_DECLARATION.sub(lambda m: m.group(0).removeprefix("export "), body)
    if name == ENTRY:
        body = _EXPORT_DEFAULT.sub("const __default = ", body, count=1)
        exported.append("__default")
    stray = _ANY_EXPORT_OR_IMPORT.search(body)
    if stray:
        line = body[: stray.start()].count("\n") + 1
        raise ValueError(
            f'{name}:{line}: only `import {{…}} from "./x.js"` and `export '
            "function/const/class` are understood here"
        )
    return (
        f"const {_scope(name)} = (() => {{\n"
        + "\n".join(bindings)
        + "\n"
        + body
        + f"\nreturn {{ {', '.join(exported)} }};\n}})();"
    )


@functools.cache
def loader_text() -> str:
    """The dashboard widget's ES module (anywidget's `_esm`), for this runtime's key."""
    return LOADER.read_text("utf-8").replace("__RUNTIME_KEY__", key())


@functools.cache
def css_text() -> str:
    """The stylesheet, each selector weighted to win over a notebook host's own rules.

    A notebook output sits inside its host's rendered-HTML styles (JupyterLab's and nbconvert's
    `.jp-RenderedHTMLCommon`: headings' margins, lists, tables, links), whose selectors are up
    to two classes and two elements specific. Each selector here gets an ancestor that every
    element has but that weighs as an id (`SCOPE`), so inside the drawing the stylesheet wins
    wherever it says something, in any host and whatever the order of the style sheets; among
    its own rules nothing changes (all weigh the same more). Rules on `html` (the theme of a
    page the explainer owns) stay as written."""
    return _weighted((RUNTIME / STYLE).read_text("utf-8"))


SCOPE = ":not(#sg-none) "
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _weighted(css: str) -> str:
    out, depth, start = [], 0, 0
    css = _COMMENT.sub("", css)
    for index, char in enumerate(css):
        if char == "{":
            prelude = css[start:index]
            if not prelude.strip().startswith("@"):
                prelude = ", ".join(_scoped(part) for part in _selectors(prelude))
            out.append(prelude + "{")
            depth += 1
            start = index + 1
        elif char == "}":
            out.append(css[start : index + 1])
            depth -= 1
            start = index + 1
    if depth or css[start:].strip():
        raise ValueError(f"{STYLE}: unbalanced braces")
    return "".join(out)


def _selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside `:is(…)`)."""
    parts, depth, current = [], 0, ""
    for char in prelude:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _scoped(selector: str) -> str:
    selector = " ".join(selector.split())
    return selector if selector.startswith("html") else SCOPE + selector


def _scope(name: str) -> str:
    return "__" + name.removesuffix(".js")


def _destructure(names: str) -> str:
    """`a, b as c` → `a, b: c`."""
    return ", ".join(
        re.sub(r"\s+as\s+", ": ", part.strip()) for part in names.split(",") if part.strip()
    )


def _dependency_order() -> list[str]:
    """Files reachable from the entry, each after the files it imports."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            raise ValueError(f"import cycle through {name}")
        visiting.add(name)
        for dependency in _imports(name):
            visit(dependency)
        visiting.discard(name)
        order.append(name)

    visit(ENTRY)
    return order
