"""Every label of the explainer in English and Japanese, and number and date formats per language.

Data text (titles, summaries, names) comes bilingual from the dataset; this module holds the
interface's own words so that switching language changes everything a reader sees.
"""

from __future__ import annotations

import functools
import math

import pandas as pd

LANGUAGES = ("en", "ja")
DEFAULT_LANGUAGE = "en"

_STRINGS: dict[str, tuple[str, str]] = {
    # Navigation and chrome
    "app.title": ("Stargate Explained", "スターゲート解説"),
    "app.subtitle": (
        "The $500B US AI-infrastructure venture of OpenAI, SoftBank, Oracle and MGX, with every "
        "number one click from its source.",
        "オープンAI、ソフトバンクグループ、オラクル、MGXによる5,000億ドル規模の米国AIインフラ事業を、"
        "すべての数字に出典を付けて解説します。",
    ),
    "app.language": ("Language", "言語"),
    "app.view": ("View", "表示"),
    "app.dataset_date": ("Dataset updated", "データ更新日"),
    "app.loading": ("Drawing…", "描画中…"),
    "view.org": ("Org chart", "組織図"),
    "view.funding": ("Who pays", "出資の内訳"),
    "view.timeline": ("Timeline", "年表"),
    "view.markets": ("Markets", "市場の反応"),
    "view.claims": ("Claims", "主張と反論"),
    "view.sources": ("Sources", "出典"),
    "footer.sources": ("Sources", "出典"),
    "footer.status_note": (
        "Some plotted values are not confirmed",
        "確認されていない値を含みます",
    ),
    # Narratives (own words)
    "narrative.org": (
        "Stargate is a new company, not a government programme. Four funders put in equity: "
        "SoftBank and OpenAI lead, with SoftBank responsible for finance and OpenAI for "
        "operations; Oracle and the Abu Dhabi fund MGX are the other initial funders. Five "
        "technology partners supply chips, software and cloud. Lines show who commits what to "
        "whom; pick an organisation to see its commitments and their sources.",
        "スターゲートは政府の計画ではなく新会社です。出資するのは4者で、ソフトバンクグループとオープンAIが"
        "主導し、ソフトバンクが財務、オープンAIが運営の責任を負います。オラクルとアブダビのMGXも当初からの"
        "出資者です。5社の技術パートナーが半導体やソフトウェア、クラウドを提供します。線は誰が誰に何を約束"
        "したかを示します。組織を選ぶと、その約束と出典が表示されます。",
    ),
    "narrative.funding": (
        "The headline is $500B over four years, starting with $100B. Who pays how much was "
        "never officially split: the presets below are reported figures, marked with their "
        "status. Move a share and the others rebalance so the total stays 100%.",
        "見出しの数字は4年間で5,000億ドル、まず1,000億ドルから始めるというものです。誰がいくら出すのかは"
        "公式には示されていません。下のプリセットは報道された数字で、それぞれの確度を示しています。"
        "ある出資者の比率を動かすと、合計が100%になるよう他の比率が按分で調整されます。",
    ),
    "narrative.timeline": (
        "Stargate began as a 2024 Microsoft–OpenAI plan for a giant supercomputer, became a "
        "separate $500B venture in January 2025, and has since spread to new sites, financings "
        "and countries, and into disputes. Hollow markers are plans; filled markers happened.",
        "スターゲートは2024年にマイクロソフトとオープンAIが計画した巨大スーパーコンピューターに始まり、"
        "2025年1月に5,000億ドルの別事業となり、その後は新たな拠点、資金調達、各国への展開、そして対立へと"
        "広がりました。白抜きの印は計画、塗りつぶしの印は実際に起きたことです。",
    ),
    "narrative.markets": (
        "Shares of the funders and partners jumped in the days after the announcement, then "
        "fell on 27 January 2025, when a cheap Chinese model from DeepSeek shook chip stocks. "
        "Where sources give different figures, each is shown with its source.",
        "発表後の数日間、出資者やパートナーの株価は大きく上昇しましたが、2025年1月27日には中国DeepSeekの"
        "低コストなモデルが半導体株を揺さぶり、下落しました。出典によって数字が異なる場合は、それぞれを"
        "出典とともに示します。",
    ),
    "narrative.claims": (
        "Within a day of the announcement Elon Musk said the backers did not have the money, and "
        "the partners answered. Each statement is shown with its replies, its status and its "
        "sources; below are errors found in press coverage and what the sources say instead.",
        "発表から1日も経たないうちにイーロン・マスク氏が「資金はない」と述べ、パートナー側が反論しました。"
        "各発言を返答、確度、出典とともに示します。その下には報道で見つかった誤りと、出典が示す事実を"
        "載せています。",
    ),
    "narrative.sources": (
        "Every number, date and quote in this explainer comes from one of these pages. Filter "
        "them by text or kind; each links to the page that was read.",
        "この解説のすべての数字、日付、引用は以下のいずれかのページに基づいています。文字や種類で絞り込め"
        "ます。各リンクは実際に読んだページを指します。",
    ),
    # Org chart
    "org.select": ("Organisation", "組織"),
    "org.commitments": ("Commitments", "コミットメント"),
    "org.none": ("No commitments recorded.", "記録されたコミットメントはありません。"),
    "org.people": ("People", "人物"),
    "org.chart_title": ("Who commits what to whom", "誰が誰に何を約束したか"),
    # Funding
    "funding.total": ("Total ($B)", "総額（10億ドル）"),
    "funding.preset": ("Preset", "プリセット"),
    "funding.currency": ("Currency", "通貨"),
    "funding.custom": ("Custom split", "任意の配分"),
    "funding.equal": ("Equal shares (illustration)", "均等配分（例示）"),
    "funding.reported_as_of": ("Reported amounts as of {date}", "{date}時点の報道額"),
    "funding.per_funder": ("Amount per funder", "出資者別の金額"),
    "funding.per_year": ("Per year (illustration)", "年別（例示）"),
    "funding.year_note": (
        "No yearly schedule has been published. Years here assume the announced $100B in the "
        "first year and the rest spread evenly over the next three.",
        "年ごとの計画は公表されていません。ここでは発表どおり初年度に1,000億ドル、残りを次の3年で均等に"
        "使うと仮定しています。",
    ),
    "funding.fx_note": ("Exchange rate: {rate} on {date}", "為替レート：{date}の{rate}"),
    "funding.scale": ("Compared with other US projects", "米国の他の大事業との比較"),
    "funding.scale_note": (
        "Historic costs are inflation-adjusted by their sources, in the dollars of the year "
        "shown; Stargate is in nominal dollars.",
        "過去の事業費は出典ごとに表示年のドルへインフレ調整済み。スターゲートは名目額です。",
    ),
    "funding.gdp_share": ("Peak year as a share of US GDP", "最大の年の米国GDP比"),
    "funding.gdp_note": ("US GDP of {year}: {gdp}", "{year}年の米国GDP：{gdp}"),
    "funding.stargate": ("Stargate (this split)", "スターゲート（この配分）"),
    "funding.shares_sum": ("Shares add up to {total}%", "比率の合計 {total}%"),
    # Timeline
    "timeline.lanes": ("Lanes", "分類"),
    "timeline.range": ("Dates", "期間"),
    "timeline.select": ("Event", "出来事"),
    "timeline.planned": ("Planned", "計画"),
    "timeline.happened": ("Happened", "実施"),
    "timeline.disputed": ("Disputed or unverified", "異論あり・未確認"),
    "timeline.count": ("{n} events shown", "{n}件を表示"),
    # Markets
    "markets.day": ("Trading day", "取引日"),
    "markets.change": ("Change on the day (%)", "前日比（%）"),
    "markets.yields": ("Bond yields", "債券利回り"),
    "markets.pp": ("{change} percentage points, to {close}%", "{change}ポイント、{close}%"),
    # Claims
    "claims.reply": ("Reply", "返答"),
    "claims.corrections": ("Errors in coverage, corrected", "報道の誤りと訂正"),
    "claims.said": ("What was published", "報道の記述"),
    "claims.truth": ("What the sources show", "出典が示す事実"),
    "claims.found_in": ("Found in", "掲載元"),
    # Sources
    "sources.filter": ("Filter", "絞り込み"),
    "sources.kind": ("Kind", "種類"),
    "sources.all": ("All", "すべて"),
    "sources.count": ("{n} of {total} sources", "{total}件中{n}件"),
    "sources.accessed": ("read", "閲覧"),
    # Static site
    "site.exported": ("Exported", "書き出し日"),
    "site.downloads": ("Download the data (CSV, JSON)", "データをダウンロード（CSV・JSON）"),
    "site.timeline_hint": (
        "Click a lane in the legend to hide or show it; drag the handles under the chart to "
        "change the dates; click an event for its sources.",
        "凡例の分類をクリックすると表示・非表示を切り替えられます。グラフ下のつまみで期間を変え、"
        "出来事をクリックすると出典が表示されます。",
    ),
    # Errors
    # Each chart's tools
    "chart.table": ("Table", "表"),
    "chart.csv": ("CSV", "CSVファイル"),
    "chart.png": ("PNG image", "PNG画像"),
    "chart.svg": ("SVG image", "SVG画像"),
    "chart.data_note": ("the values plotted, with their sources", "グラフの値と出典"),
    # The reader's tools
    "tools.link": ("Link to this view", "この表示へのリンク"),
    "tools.copy_link": ("Copy link", "リンクをコピー"),
    "tools.copied": ("Link copied", "リンクをコピーしました"),
    "tools.dark": ("Dark theme", "ダークテーマ"),
    "tools.print": ("Print", "印刷"),
    "tools.cite": ("Cite this", "引用する"),
    "tools.dataset_json": ("Dataset (JSON)", "データ一式（JSON）"),
    "tools.dataset_csv": ("Dataset (CSV, zip)", "データ一式（CSV・zip）"),
    "tools.embed": ("Embed this view", "この表示を埋め込む"),
    "tools.embed_note": (
        "Paste this into a web page to show this view alone:",
        "次のコードをウェブページに貼ると、この表示だけを載せられます：",
    ),
    "tools.full_explainer": ("Open the full explainer", "解説全体を開く"),
    "error.title": ("The dataset could not be loaded", "データを読み込めませんでした"),
    "error.intro": ("{n} problem(s) in {file}:", "{file} に{n}件の問題があります："),
}

_VOCABULARY: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        "confirmed": ("confirmed", "確認済み"),
        "reported": ("reported, not confirmed", "報道のみ（未確認）"),
        "unverified": ("unverified", "未検証"),
    },
    "verdict": {
        "true": ("true", "正しい"),
        "mostly_true": ("mostly true", "おおむね正しい"),
        "misleading": ("misleading", "誤解を招く"),
        "false": ("false", "誤り"),
        "disputed": ("disputed", "異論あり"),
        "unresolved": ("unresolved", "未決着"),
        "superseded": ("superseded", "その後の展開で古くなった"),
    },
    "outcome": {
        "on_time": ("on time", "予定どおり"),
        "late": ("late", "遅れて実現"),
        "partly": ("partly", "一部実現"),
        "missed": ("missed", "未達"),
        "cancelled": ("cancelled", "中止"),
        "superseded": ("superseded", "計画変更"),
        "unknown": ("unknown", "不明"),
    },
    "lane": {
        "plan": ("Plans", "計画"),
        "deal": ("Deals", "契約・提携"),
        "site": ("Sites", "拠点"),
        "financing": ("Financing", "資金調達"),
        "market": ("Markets", "市場"),
        "policy": ("Policy", "政策"),
        "dispute": ("Disputes", "対立・異論"),
    },
    "commitment": {
        "equity": ("Equity", "出資"),
        "technology": ("Technology", "技術"),
        "operations": ("Operations", "運営"),
        "financing": ("Financing", "融資"),
        "compute_purchase": ("Compute purchase", "計算資源の購入"),
    },
    "source_kind": {
        "primary": ("Primary", "一次資料"),
        "regulator": ("Regulator", "規制当局"),
        "wire": ("Wire", "通信社"),
        "newspaper": ("Newspaper", "新聞・報道機関"),
        "trade": ("Trade press", "業界紙"),
        "blog": ("Blog", "ブログ"),
        "aggregator": ("Aggregator", "まとめサイト"),
        "repost": ("Repost", "転載"),
    },
    "currency": {
        "USD": ("US dollars", "米ドル"),
        "JPY": ("Japanese yen", "日本円"),
        "CNY": ("Chinese yuan", "人民元"),
    },
}


TOOL_KEYS = (
    "link",
    "copy_link",
    "copied",
    "dark",
    "print",
    "cite",
    "dataset_json",
    "dataset_csv",
    "full_explainer",
)


def tool_labels(lang: str) -> dict[str, str]:
    """The reader tools' labels (live dashboard and static site alike)."""
    return {key: text(f"tools.{key}", lang) for key in TOOL_KEYS}


def text(key: str, lang: str, **values: object) -> str:
    """The interface string `key` in `lang`, with `{placeholders}` filled from `values`."""
    english, japanese = _STRINGS[key]
    template = japanese if lang == "ja" else english
    return template.format(**values) if values else template


def term(vocabulary: str, value: str, lang: str) -> str:
    """A controlled-vocabulary value (a status, lane, kind) as a reader-facing label."""
    english, japanese = _VOCABULARY[vocabulary][value]
    return japanese if lang == "ja" else english


def terms(vocabulary: str) -> list[str]:
    return list(_VOCABULARY[vocabulary])


def all_keys() -> list[str]:
    return list(_STRINGS)


def format_number(value: float, lang: str, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def format_percent(value: float, lang: str, digits: int = 1, signed: bool = False) -> str:
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{format_number(value, lang, digits)}%"


@functools.lru_cache(maxsize=8192)
def format_date(value: pd.Timestamp, lang: str, precision: str = "day") -> str:
    """A date as a reader in `lang` writes it, no more precise than the data. Cached: the
    timeline writes the same dates on every redraw."""
    if pd.isna(value):
        return "—"
    quarter = (value.month - 1) // 3 + 1
    if lang == "ja":
        return {
            "day": f"{value.year}年{value.month}月{value.day}日",
            "month": f"{value.year}年{value.month}月",
            "quarter": f"{value.year}年第{quarter}四半期",
            "year": f"{value.year}年",
        }[precision]
    return {
        "day": f"{value.day} {value.strftime('%B')} {value.year}",
        "month": f"{value.strftime('%B')} {value.year}",
        "quarter": f"Q{quarter} {value.year}",
        "year": f"{value.year}",
    }[precision]


_CURRENCY_SYMBOL = {"USD": "$", "JPY": "¥", "CNY": "CN¥"}
_JAPANESE_CURRENCY_WORD = {"USD": "ドル", "JPY": "円", "CNY": "元"}


def format_money(usd_bn: float, lang: str, currency: str = "USD", rate: float = 1.0) -> str:
    """An amount given in USD billions, converted at `rate` and written with the units a reader
    of `lang` expects: "$19.0B" / "¥2.95 trillion" in English, "190億ドル" / "2.95兆円" in
    Japanese."""
    if usd_bn is None or (isinstance(usd_bn, float) and math.isnan(usd_bn)):
        return "—"
    billions = usd_bn * rate
    if lang == "ja":
        word = _JAPANESE_CURRENCY_WORD[currency]
        oku = billions * 10  # 1 billion = 10 億
        if abs(oku) >= 10_000:
            return f"{oku / 10_000:,.2f}兆{word}"
        return f"{oku:,.0f}億{word}"
    symbol = _CURRENCY_SYMBOL[currency]
    if abs(billions) >= 1000:
        return f"{symbol}{billions / 1000:,.2f} trillion"
    return f"{symbol}{billions:,.1f}B" if currency == "USD" else f"{symbol}{billions:,.1f} billion"
