from __future__ import annotations

import re

import pandas as pd
import pytest

from stargate_explainer import i18n

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.mark.parametrize("key", i18n.all_keys())
def test_every_string_exists_in_both_languages(key):
    english, japanese = i18n.text(key, "en"), i18n.text(key, "ja")
    assert english.strip() and japanese.strip()
    # File formats are written the same in both languages.
    if english not in ("CSV", "PNG", "SVG"):
        assert JAPANESE.search(japanese), f"{key} has no Japanese text"
    assert set(re.findall(r"{(\w+)}", english)) == set(re.findall(r"{(\w+)}", japanese))


@pytest.mark.parametrize(
    "vocabulary", ["status", "verdict", "outcome", "lane", "commitment", "source_kind", "currency"]
)
def test_every_term_has_a_japanese_label(vocabulary):
    for value in i18n.terms(vocabulary):
        assert JAPANESE.search(i18n.term(vocabulary, value, "ja"))
        assert i18n.term(vocabulary, value, "en") != i18n.term(vocabulary, value, "ja")


def test_vocabularies_cover_the_schema():
    from stargate_explainer.originals import SOURCE_KINDS
    from stargate_explainer.schema import CommitmentKind, Lane, Outcome, Status, Verdict

    assert set(i18n.terms("status")) == set(Status.__args__)
    assert set(i18n.terms("verdict")) == set(Verdict.__args__)
    assert set(i18n.terms("outcome")) == set(Outcome.__args__)
    assert i18n.terms("source_kind") == list(SOURCE_KINDS), "the order of source lists"
    assert set(i18n.terms("lane")) == set(Lane.__args__)
    assert set(i18n.terms("commitment")) == set(CommitmentKind.__args__)


@pytest.mark.parametrize(
    "usd_bn,lang,currency,rate,expected",
    [
        (19, "en", "USD", 1.0, "$19B"),
        (18.5, "en", "USD", 1.0, "$18.5B"),
        (500, "en", "USD", 1.0, "$500B"),
        (1250, "en", "USD", 1.0, "$1.25T"),
        (19, "ja", "USD", 1.0, "190億ドル"),
        (500, "ja", "USD", 1.0, "5,000億ドル"),
        (500, "ja", "JPY", 155.46, "77.73兆円"),
        (500, "en", "JPY", 155.46, "¥77.73T"),
        (-2.5, "en", "USD", 1.0, "\u2212$2.5B"),
        (500, "ja", "CNY", 7.1696, "3.58兆元"),
    ],
)
def test_format_money(usd_bn, lang, currency, rate, expected):
    assert i18n.format_money(usd_bn, lang, currency, rate) == expected


@pytest.mark.parametrize(
    "precision,en,ja",
    [
        ("day", "21 January 2025", "2025年1月21日"),
        ("month", "January 2025", "2025年1月"),
        ("quarter", "Q1 2025", "2025年第1四半期"),
        ("year", "2025", "2025年"),
    ],
)
def test_format_date_is_no_more_precise_than_the_data(precision, en, ja):
    date = pd.Timestamp("2025-01-21")
    assert i18n.format_date(date, "en", precision) == en
    assert i18n.format_date(date, "ja", precision) == ja
