"""The view runtime as one ES module text, for every host.

The runtime is written as small ES modules in `static/runtime/` (each names what it imports
from the others with `import { a, b } from "./x.js"`). A host needs one module it can hand to
anywidget or inline into a page that works from `file://` (where a module cannot import
another file), so this joins them: each file becomes a function scope that returns its
exports, in dependency order, and the entry's default export stays the module's default
export (`export default { render }`, anywidget's front-end contract). No bundler, no npm: the
grammar accepted is the small one the runtime uses, and anything else fails loudly here.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

RUNTIME = Path(__file__).resolve().parent / "static" / "runtime"
ENTRY = "main.js"
STYLE = "style.css"

_IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([a-z0-9_]+\.js)";\n', re.M)
_EXPORT_DECLARATION = re.compile(
    r"^export (?:async )?(function\*?|const|let|class) ([A-Za-z_$][\w$]*)", re.M
)
_EXPORT_DEFAULT = re.compile(r"^export default ", re.M)
_ANY_EXPORT_OR_IMPORT = re.compile(r"^(?:export|import)\b", re.M)


@functools.cache
def module_text() -> str:
    """The whole runtime as one ES module whose default export is `{ render }`."""
    order = _dependency_order()
    parts = ["// Stargate Explained view runtime: joined from static/runtime/ by runtime.py."]
    for name in order:
        source = (RUNTIME / name).read_text("utf-8")
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
        parts.append(
            f"const {_scope(name)} = (() => {{\n"
            + "\n".join(bindings)
            + "\n"
            + body
            + f"\nreturn {{ {', '.join(exported)} }};\n}})();"
        )
    parts.append(f"const stargateRuntime = {_scope(ENTRY)}.__default;")
    parts.append("export default stargateRuntime;")
    return "\n".join(parts) + "\n"


@functools.cache
def css_text() -> str:
    return (RUNTIME / STYLE).read_text("utf-8")


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
        for _, dependency in _IMPORT.findall((RUNTIME / name).read_text("utf-8")):
            visit(dependency)
        visiting.discard(name)
        order.append(name)

    visit(ENTRY)
    return order
