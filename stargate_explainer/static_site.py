"""The static site: the view runtime with its page model inlined, one page per language, made with
nbconvert, that anyone can host or open from disk with no kernel and no network.

Each page is nbconvert's HTML export of a one-output notebook through the repository's template
(`assets/jupyter/nbconvert/templates/stargate_static`): the output is the runtime's host element,
and the template inlines the stylesheet, the page model and the runtime with its small static
model object (`static/static_host.js`). The same host element is what `notebook.show` displays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from pathlib import Path
from typing import TYPE_CHECKING

from . import i18n, runtime
from .model_cache import dumps
from .page_model import build
from .settings import REPOSITORY_ROOT
from .state import DEFAULT_VIEW

if TYPE_CHECKING:  # pandas: only `build_site` needs it, not `notebook.show`'s `host_html`
    from .dataset import Dataset

TEMPLATES = REPOSITORY_ROOT / "assets" / "jupyter" / "nbconvert" / "templates"
LOCALES = {"en": "en_GB", "ja": "ja_JP"}


def page_path(lang: str) -> str:
    """Where each language's page lives inside the site."""
    return "index.html" if lang == "en" else f"{lang}/index.html"


def script_json(text: str) -> str:
    """JSON text safe inside a <script> element: no '<', '>' or '&' can close it."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def host_html(
    model_json: str,
    model_key: str,
    lang: str,
    *,
    address: str = "",
    view: str = DEFAULT_VIEW,
    embed: bool = False,
    kernel: str = "none",
    runtime_script: bool = True,
) -> str:
    """The runtime's host element with its page model, the runtime and the line that draws it,
    as one HTML fragment: what a static page's body, a notebook's output and the Voilà page hold.
    Self-sufficient: the runtime runs once per page however many fragments carry it, so every
    output draws on its own after a reload, in an export, or next to other outputs.
    `address`: "hash" (the static site), "query" (the Voilà page) or "" (a notebook output);
    `kernel`: "pending" for the Voilà page, whose drawing the kernel's widget takes over.
    `runtime_script=False` leaves the runtime to the page (the static site's template)."""
    attributes = {
        "class": "sg-host",
        "data-sg-host": "",
        "data-sg-model": model_key,
        "data-sg-lang": lang,
        "data-sg-view": view,
        "data-sg-embed": "1" if embed else "0",
        "data-sg-address": address,
        "data-sg-kernel": kernel,
    }
    attrs = " ".join(
        f'{name}="{html.escape(value, quote=True)}"' for name, value in attributes.items()
    )
    loading = html.escape(i18n.text("app.loading", lang))
    parts = [
        f'<div {attrs}><p class="sg-loading" role="status">{loading}</p></div>',
        f'<script type="application/json" data-sg-model="{html.escape(model_key, quote=True)}">'
        f"{script_json(model_json)}</script>",
    ]
    if runtime_script:
        parts.append(f"<script>\n{runtime.script_text()}</script>")
    parts.append(start_script())
    return "\n".join(parts)


def start_script() -> str:
    """Draws the host elements next to this script (a notebook can render an output before the
    output is in the document, so the script looks beside itself, not in the whole page)."""
    return (
        f'<script>stargateExplainer.runtimes["{runtime.key()}"]'
        ".mountHosts(document.currentScript.parentNode);</script>"
    )


def build_site(dataset: Dataset, out_dir: Path, exported: dt.date | None = None) -> list[Path]:
    """Write one page per language and the data downloads; return the pages written."""
    from .data_export import ZIP_NAME, export_data

    exported = exported or dt.date.today()
    export_data(dataset, out_dir / "data", zip_name=ZIP_NAME)
    model_json = dumps(build(dataset.document))
    model_key = hashlib.sha256(model_json.encode("utf-8")).hexdigest()[:24]
    pages = []
    for lang in i18n.LANGUAGES:
        path = out_dir / page_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            render_page(dataset, model_json, model_key, lang, exported), encoding="utf-8"
        )
        pages.append(path)
    return pages


def render_page(
    dataset: Dataset, model_json: str, model_key: str, lang: str, exported: dt.date
) -> str:
    import nbformat
    from nbconvert import HTMLExporter

    prefix = "../" if "/" in page_path(lang) else ""
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    body = host_html(model_json, model_key, lang, address="hash", runtime_script=False)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": body})]
    notebook.cells = [cell]
    exporter = HTMLExporter(
        template_name="stargate_static",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    meta = dataset.document.meta
    resources = {
        "stargate": {
            "lang": lang,
            "locale": LOCALES[lang],
            "title": f"{i18n.text('app.title', lang)} — {getattr(meta.title, lang)}",
            "description": i18n.text("app.subtitle", lang),
            "dataset_date": meta.updated.isoformat(),
            "export_date": exported.isoformat(),
            "alternates": [
                {"lang": other, "href": prefix + page_path(other)} for other in i18n.LANGUAGES
            ],
            "runtime": runtime.script_text(),
        }
    }
    page, _ = exporter.from_notebook_node(notebook, resources=resources)
    return page
