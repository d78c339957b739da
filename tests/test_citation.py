from __future__ import annotations

import pytest

from stargate_explainer import citation, load


@pytest.fixture(scope="module")
def dataset():
    return load()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_plain_citation_names_title_version_and_address(dataset, lang, monkeypatch):
    meta = dataset.document.meta
    text = citation.plain(dataset.document.meta, lang)
    assert getattr(meta.title, lang) in text
    assert meta.updated.isoformat() in text
    assert citation.URL_PLACEHOLDER in text
    monkeypatch.setenv("STARGATE_SITE_URL", "https://example.org/stargate/")
    assert "https://example.org/stargate/" in citation.plain(dataset.document.meta, lang)


def test_bibtex_entry_is_balanced_and_escaped(dataset):
    entry = citation.bibtex(dataset.document.meta)
    assert entry.startswith("@misc{stargate_explained_")
    depth = 0
    for character, previous in zip(entry, " " + entry, strict=False):
        if previous == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0
    assert depth == 0
    assert dataset.document.meta.updated.isoformat() in entry


def test_bibtex_escape_protects_latex_specials():
    assert citation.bibtex_escape("R&D 50% $5 #1 a_b {x}") == r"R\&D 50\% \$5 \#1 a\_b \{x\}"
