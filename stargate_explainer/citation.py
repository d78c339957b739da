"""How to cite the dataset: one plain-text line per language and a BibTeX entry.

The address is `STARGATE_SITE_URL` when set; otherwise the texts keep a `{url}` placeholder that
the page fills with its own address (a static copy can live anywhere).
"""

from __future__ import annotations

from .settings import SITE_URL

AUTHOR = {"en": "Stargate Explained", "ja": "スターゲート解説"}
URL_PLACEHOLDER = "{url}"
_BIBTEX_SPECIAL = {c: "\\" + c for c in "&%$#_{}"} | {
    "\\": r"\textbackslash{}",
    "~": r"\~{}",
    "^": r"\^{}",
}


def _url() -> str:
    return SITE_URL.value() or URL_PLACEHOLDER


def _licence(meta) -> str:
    """The licence's name without its explanation ("CC BY 4.0")."""
    return meta.licence.split(" (")[0]


def plain(meta, lang: str) -> str:
    """`meta` is the dataset's `schema.Meta`."""
    title = getattr(meta.title, lang)
    version = meta.updated.isoformat()
    if lang == "ja":
        return (
            f"{AUTHOR['ja']}（{meta.updated.year}）『{title}』データセット、{version}版、"
            f"{_licence(meta)}。{_url()}"
        )
    return (
        f"{AUTHOR['en']} ({meta.updated.year}). {title} [dataset], version {version}. "
        f"{_licence(meta)}. {_url()}"
    )


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in text)


def bibtex(meta) -> str:
    year = meta.updated.year
    fields = {
        "author": "{" + bibtex_escape(AUTHOR["en"]) + "}",
        "title": "{" + bibtex_escape(meta.title.en) + "}",
        "year": str(year),
        "version": meta.updated.isoformat(),
        "publisher": bibtex_escape(AUTHOR["en"]),
        "note": bibtex_escape(f"Dataset. {_licence(meta)}"),
        "url": _url(),
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@misc{{stargate_explained_{meta.updated.isoformat().replace('-', '')},\n{body}\n}}"
