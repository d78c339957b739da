"""Every word of the interface in English and Japanese, and numbers and dates as each language
writes them.

The words travel to the page in the page model (`ui_model`); the runtime's `i18n.js` writes
numbers, money and dates by the same rules as the functions below, which Python users (and
`figures`) call. `tests/test_parity.py` runs both on the same cases.
"""

from __future__ import annotations

import datetime as dt
import math

LANGUAGES = ("en", "ja")
DEFAULT_LANGUAGE = "en"

_STRINGS: dict[str, tuple[str, str]] = {
    # Masthead and navigation
    "app.title": ("Stargate Explained", "スターゲート解説"),
    "app.subtitle": (
        "The $500B US AI-infrastructure venture of OpenAI, SoftBank, Oracle and MGX: who is in "
        "it, who pays, what happened, with every number one click from its source.",
        "オープンAI、ソフトバンクグループ、オラクル、MGXによる5,000億ドル規模の米国AIインフラ事業。"
        "誰が関わり、誰が払い、何が起きたのかを、すべての数字に出典を付けて解説します。",
    ),
    "app.language": ("Language", "言語"),
    "app.views": ("Views", "表示"),
    "app.dataset_date": ("Data as of", "データ更新日"),
    "app.loading": ("Drawing the explainer…", "解説を描画しています…"),
    # Said to a screen reader (the drawing's live region) when something changes
    "announce.language": ("Now in English", "日本語で表示しています"),
    "announce.view": ("Showing {view}", "{view}を表示しています"),
    "announce.selected": ("Selected: {name}", "選択：{name}"),
    "announce.cleared": ("Selection cleared", "選択を解除しました"),
    "app.licence": (
        "Data: {licence}, compiled by Stargate Explained; quoted text remains its authors'.",
        "データ：{licence}（スターゲート解説が編集。引用文の権利は各著者に帰属します）。",
    ),
    "view.org": ("Who is who", "組織図"),
    "view.funding": ("Who pays", "誰が払うか"),
    "view.timeline": ("Timeline", "年表"),
    "view.markets": ("Markets", "市場の反応"),
    "view.claims": ("Claims", "主張と検証"),
    "view.sources": ("Sources", "出典一覧"),
    "footer.sources": ("Sources", "出典"),
    # First lines of the views (own words)
    "narrative.org": (
        "Stargate is a company, not a government programme. Four funders put in equity, "
        "SoftBank and OpenAI leading; technology partners supply chips, software and cloud; "
        "lenders, builders and suppliers hang off the main partners. Pick a box to see who "
        "commits what to whom, and the sources.",
        "スターゲートは政府の計画ではなく一つの会社です。出資者は4者で、ソフトバンクグループとオープンAIが"
        "主導します。技術パートナーが半導体やソフトウェア、クラウドを提供し、その周りに融資、建設、調達の"
        "相手が連なります。枠を選ぶと、誰が誰に何を約束したかと出典が表示されます。",
    ),
    "narrative.funding": (
        "The headline is $500B over four years, with the first $100B to be deployed "
        "“immediately”. Only part of it has ever been reported as coming from named funders; "
        "the rest was not disclosed. Below, first what is known, then a clearly marked "
        "illustration you can change.",
        "見出しの数字は4年間で5,000億ドル、最初の1,000億ドルは「直ちに」投入するというものです。"
        "出資者ごとの金額として報じられたのはその一部だけで、残りは開示されていません。"
        "まず分かっていることを示し、その下に動かして試せる例示を明示して載せます。",
    ),
    "narrative.timeline": (
        "Stargate began as a 2024 Microsoft–OpenAI plan for a giant supercomputer, became a "
        "separate $500B venture on 21 January 2025, and spread to new sites, financings and "
        "countries. Hollow dots are plans, joined to what became of them; filled dots happened.",
        "スターゲートは2024年にマイクロソフトとオープンAIが計画した巨大スーパーコンピューターに始まり、"
        "2025年1月21日に5,000億ドルの別事業となって、新たな拠点、資金調達、各国へと広がりました。"
        "白抜きの点は計画で、その結果と線で結んでいます。塗りつぶしの点は実際に起きたことです。",
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
        "What was said about Stargate, who answered, and whether it held: each statement with "
        "its replies and a verdict backed by sources, newest story first. Below, errors found in "
        "press coverage and what the sources show instead.",
        "スターゲートをめぐる発言、それへの反論、そして結局どうだったのか。各発言を返答と出典付きの判定"
        "とともに、新しい話題から順に示します。その下には報道で見つかった誤りと、出典が示す事実を載せて"
        "います。",
    ),
    "narrative.sources": (
        "Every number, date and quote here comes from one of these pages. Originals come first;"
        " copies, reposts and summaries are labelled as such. Sort by any column, filter by kind"
        " or text.",
        "この解説のすべての数字、日付、引用は、以下のいずれかのページに基づいています。原典を先頭に"
        "並べ、写し・転載・要約はそう明記しています。列で並べ替え、種類や文字で絞り込めます。",
    ),
    # Status and verdict: two questions
    "status.label": ("Attested:", "裏付け："),
    "status.help": (
        "How well the record is attested: confirmed (a primary source or two independent "
        "reports), reported (one credible report) or unverified.",
        "記録の裏付けの度合い：確認済み（一次資料または独立した二つの報道）、報道のみ（信頼できる"
        "一つの報道）、未確認。",
    ),
    "verdict.label": ("Verdict:", "判定："),
    "verdict.help": (
        "Whether what was said holds, judged from the sources listed.",
        "発言の内容が正しいかどうか。挙げた出典に基づく判定です。",
    ),
    # Charts: the frame every chart has
    "chart.table": ("Table", "表"),
    "chart.csv": ("CSV", "CSV"),
    "chart.png": ("PNG", "PNG"),
    "chart.svg": ("SVG", "SVG"),
    "chart.tools": ("Chart data and downloads", "グラフのデータとダウンロード"),
    "chart.role": ("chart", "グラフ"),
    "chart.data_note": ("the values plotted, with their sources", "グラフの値と出典"),
    "chart.source": ("Source", "出典"),
    "chart.sources": ("Sources ({n})", "出典（{n}件）"),
    "chart.and_more": ("and {n} more (listed below)", "ほか{n}件（下に一覧）"),
    "chart.warn_reported": (
        "some values are reported only, not confirmed",
        "一部は報道のみで未確認の値",
    ),
    "chart.warn_unverified": ("some values are unverified", "一部は未確認の値"),
    "chart.warn_no_original": (
        "values with no original source: {n}",
        "{n}件の値は原典のない出典のみに基づく",
    ),
    "chart.no_original": ("no original source", "原典なし"),
    "chart.illustration": ("Illustration", "例示"),
    "chart.illustration_csv": (
        "illustration: not reported figures",
        "illustration: 報道された数字ではありません",
    ),
    "chart.illustration_note": (
        "Illustration, not reported figures",
        "例示であり、報道された数字ではありません",
    ),
    # Table columns
    "column.status": ("Attested", "裏付け"),
    "column.sources": ("Sources", "出典"),
    "column.from": ("From", "出し手"),
    "column.to": ("To", "受け手"),
    "column.kind": ("Kind", "種類"),
    "column.amount_usd_bn": ("Amount (US$ bn)", "金額（10億ドル）"),
    "column.amount_bn": ("Amount ({unit})", "金額（{unit}）"),
    "column.amount_in_year": ("Cost ({year} US$ bn)", "費用（{year}年ドル、10億ドル）"),
    "column.share_pct": ("Share (%)", "比率（%）"),
    "column.as_of": ("As of", "時点"),
    "column.reported_on": ("Reported on", "報道日"),
    "column.funder": ("Funder", "出資者"),
    "column.currency": ("Currency", "通貨"),
    "column.year": ("Year", "年"),
    "column.name": ("Name", "名称"),
    "column.period": ("Period", "期間"),
    "column.peak_gdp_share_pct": ("Peak share of GDP (%)", "GDP比の最大値（%）"),
    "column.original_usd_bn": ("As sourced (US$ bn)", "出典の金額（10億ドル）"),
    "column.original_year": ("Dollars of", "何年のドルか"),
    "column.date": ("Date", "日付"),
    "column.date_published": ("Published", "公開日"),
    "column.precision": ("Date precision", "日付の精度"),
    "column.lane": ("Lane", "分類"),
    "column.title": ("Title", "見出し"),
    "column.planned": ("Planned", "計画"),
    "column.outcome": ("Outcome", "結果"),
    "column.security": ("Security", "銘柄"),
    "column.ticker": ("Ticker", "ティッカー"),
    "column.change_pct": ("Change (%)", "変化率（%）"),
    "column.close": ("Close", "終値"),
    "column.publisher": ("Publisher", "発行元"),
    "column.language": ("Language", "言語"),
    "column.cited_by": ("Cited by", "引用数"),
    # Org chart
    "org.chart_title": ("Who commits what to whom", "誰が誰に何を約束したか"),
    "org.chart_subtitle": (
        "Boxes are organisations, arrows commitments; line style tells the kind. Pale lines are"
        " commitments between partners, not with the venture.",
        "枠は組織、矢印は約束を表します。線の種類で約束の内容を区別しています。"
        "薄い線は事業会社を介さない、パートナー同士の約束です。",
    ),
    "org.band_funders": ("Equity funders", "出資者"),
    "org.band_venture": ("The venture", "事業会社"),
    "org.band_technology": ("Technology partners", "技術パートナー"),
    "org.band_investors": ("Investors and lenders", "投資家・融資元"),
    "org.band_suppliers": ("Suppliers and customers", "供給元・顧客"),
    "org.band_builders": ("Builders and sites", "建設・拠点"),
    "org.venture_sub": ("{amount} announced", "{amount}を発表"),
    "org.unlinked": (
        "Not drawn, as nothing in the data links them to the venture (they are in the table): {list}.",
        "データ上スターゲートとのつながりがないため図に含めていないもの（表には含む）：{list}。",
    ),
    "org.and_more": ("and {n} more", "ほか{n}件"),
    "org.commitments": ("Commitments ({n})", "約束（{n}件）"),
    "org.sources": ("Sources about this organisation ({n})", "この組織についての出典（{n}件）"),
    "org.none": ("No commitments recorded.", "記録された約束はありません。"),
    "org.people": ("People", "人物"),
    # Funding
    "funding.known_title": ("What is known", "分かっていること"),
    "funding.known_chart": ("What has been reported of the {total}", "{total}のうち報じられた内訳"),
    "funding.known_subtitle": (
        "Equity amounts as reported for each funder; the rest was never disclosed (debt, "
        "project finance, later rounds).",
        "出資者ごとに報じられた出資額。残りは開示されていません（借入、プロジェクトファイナンス、"
        "その後の資金調達など）。",
    ),
    "funding.as_of": ("As of {date}", "{date}時点"),
    "funding.undisclosed": ("Not disclosed", "未開示"),
    "funding.undisclosed_note": (
        "Not attributed to any funder in the sources: expected to come from debt, project "
        "finance and later investors.",
        "出典ではどの出資者にも割り振られていない部分。借入、プロジェクトファイナンス、後からの"
        "投資家で賄うとされています。",
    ),
    "funding.initial_marker": ("{amount} “immediately”", "{amount}を「直ちに」"),
    "funding.announced_marker": ("{amount} announced", "発表額{amount}"),
    "funding.shares_chart": ("Reported shares of the equity", "報じられた出資比率"),
    "funding.shares_subtitle": (
        "Shares are a different fact from amounts: they were reported separately.",
        "比率は金額とは別の事実で、別に報じられました。",
    ),
    "funding.not_reported": ("Not reported ({names})", "報道なし（{names}）"),
    "funding.what_if_title": ("What if: split the total yourself", "試算：総額を自分で配分する"),
    "funding.what_if_intro": (
        "Start from a reported figure or from equal shares, then move any share: the others "
        "rebalance so they always add up to 100%. Nothing in this box is a reported figure.",
        "報道された数字か均等配分から始め、どれかの比率を動かしてください。合計が常に100%になるよう"
        "他の比率が調整されます。この枠の中の数字は報道された数字ではありません。",
    ),
    "funding.preset": ("Start from", "出発点"),
    "funding.preset_shares": ("Reported shares ({date})", "報じられた比率（{date}）"),
    "funding.preset_amounts": (
        "Reported amounts as shares ({date})",
        "報じられた金額の比率（{date}）",
    ),
    "funding.equal": ("Equal shares", "均等配分"),
    "funding.preset_unreported": (
        "No share was reported for {names}: what the reported shares leave is split equally "
        "among them here.",
        "{names}の比率は報じられていません。ここでは、報じられた比率の残りを均等に割り振っています。",
    ),
    "funding.preset_amounts_note": (
        "Each funder's reported amount as a share of the amounts reported together.",
        "同時に報じられた金額の合計に占める、各出資者の報道額の割合です。",
    ),
    "funding.custom": ("Your own split", "独自の配分"),
    "funding.total": ("Total", "総額"),
    "funding.currency": ("Currency", "通貨"),
    "funding.shares_sum": ("Shares add up to {total}%", "比率の合計は{total}%"),
    "funding.fx_note": (
        "Converted at {rate}, the rate of {date}",
        "{date}のレート（{rate}）で換算",
    ),
    "funding.per_funder": ("Amount per funder", "出資者別の金額"),
    "funding.per_year": ("Per year", "年別"),
    "funding.year_note": (
        "No yearly schedule has been published. The years assume the announced $100B in the "
        "first year and the rest spread evenly over the next three.",
        "年ごとの計画は公表されていません。初年度に発表どおり1,000億ドル、残りを次の3年で均等に使うと"
        "仮定しています。",
    ),
    "funding.scale_title": ("How big is it?", "どれほどの規模か"),
    "funding.scale": (
        "Compared with other US programmes, in {year} dollars",
        "米国の他の大事業との比較（{year}年のドル換算）",
    ),
    "funding.scale_note": (
        "All amounts in {year} dollars, converted with the {index}. Stargate's announced $500B "
        "is taken as 2025 dollars.",
        "すべて{year}年のドルに{index}で換算。スターゲートの発表額5,000億ドルは2025年のドルとして"
        "扱っています。",
    ),
    "funding.omitted": ("Not shown: {list}.", "表示していないもの：{list}。"),
    "funding.omitted_no_adjusted": (
        "only a total in the dollars of the time is sourced",
        "当時のドルでの総額しか出典がない",
    ),
    "funding.omitted_no_index": (
        "no sourced price index for {year}",
        "{year}年の物価指数の出典がない",
    ),
    "funding.converted_from": ("{amount} in {year} dollars", "{year}年のドルで{amount}"),
    "funding.gdp_missing": (
        "Share of GDP not shown: it needs the GDP of each year the money is spent ({years}), and "
        "the dataset does not yet hold a sourced figure for every one of them.",
        "GDP比は表示していません。資金を使う各年（{years}）のGDPが必要ですが、すべての年について"
        "出典付きの数字をまだデータに収めていないためです。",
    ),
    "funding.gdp_share": ("Peak yearly spending as a share of US GDP", "最大の年の支出の米国GDP比"),
    "funding.gdp_axis": ("% of US GDP", "米国GDP比（%）"),
    "funding.gdp_note": (
        "Stargate: assumes the $500B is spent evenly over {years}, each year's spending divided "
        "by that year's GDP (projections where the year has not ended); the peak year is shown.",
        "スターゲート：5,000億ドルを{years}に均等に支出すると仮定し、各年の支出をその年のGDP"
        "（年が終わっていない場合は見通し）で割り、最大の年を示しています。",
    ),
    # Timeline
    "timeline.chart_title": ("From a 2024 plan to today", "2024年の計画から現在まで"),
    "timeline.chart_subtitle": (
        "Dots are events by lane; labelled dots are the key milestones.",
        "点は分類ごとの出来事。見出し付きの点は主な節目です。",
    ),
    "timeline.range": ("Dates", "期間"),
    "timeline.range_open": ("2024–2026", "2024〜2026年"),
    "timeline.range_all": ("All years", "全期間"),
    "timeline.from": ("First month shown", "表示する最初の月"),
    "timeline.to": ("Last month shown", "表示する最後の月"),
    "timeline.from_short": ("From", "開始"),
    "timeline.to_short": ("To", "終了"),
    "timeline.lanes": ("Lanes", "分類"),
    "timeline.announced": ("Stargate announced", "スターゲート発表"),
    "timeline.today": ("Today", "現在"),
    "timeline.series_title": (
        "Microsoft–OpenAI five-phase plan (reported 2024)",
        "マイクロソフトとオープンAIの5段階計画（2024年報道）",
    ),
    "timeline.phase_step": ("Step {n}", "段階{n}"),
    "timeline.planned": ("plan", "計画"),
    "timeline.happened": ("happened", "実施"),
    "timeline.outcome": ("What became of it", "その後"),
    "timeline.outcome_open": ("Outcome not yet known", "結果はまだ分かりません"),
    "timeline.checked": ("checked {date}", "{date}時点"),
    "timeline.what_happened": ("What happened", "実際の結果"),
    "timeline.plan_was": ("The plan", "元の計画"),
    "timeline.pick_hint": (
        "Pick an event on the chart or in the list to see it with its sources.",
        "グラフかリストで出来事を選ぶと、出典とともに表示されます。",
    ),
    "timeline.search": ("Find an event", "出来事を探す"),
    "timeline.search_placeholder": ("Type a word…", "語句を入力…"),
    "timeline.count": ("{n} events in view", "表示中の出来事 {n}件"),
    "timeline.more": (
        "…and {n} more: narrow the dates or search",
        "ほか{n}件：期間を絞るか検索してください",
    ),
    # Markets
    "markets.day": ("Trading day", "取引日"),
    "markets.change": ("Change on the day", "前日比"),
    "markets.subtitle": ("Percent change of each security's close.", "各銘柄の終値の変化率。"),
    "markets.axis": ("% change", "変化率（%）"),
    "markets.sources_differ": ("sources differ", "出典により異なる"),
    "markets.yields": ("Bond yields", "債券利回り"),
    "markets.pp": ("{change} percentage points, to {close}%", "{change}ポイント、{close}%"),
    # Claims
    "claims.reply": ("Reply", "返答"),
    "claims.replying_to": ("replying to {name}", "{name}への返答"),
    "claims.verdict_sources": ("Sources for the verdict", "判定の出典"),
    "claims.statement_sources": ("Sources for the statement", "発言の出典"),
    "claims.corrections": ("Errors in coverage, corrected", "報道の誤りと訂正"),
    "claims.corrections_intro": (
        "Articles whose statements the sources contradict, named as published.",
        "出典と食い違う記述を含んでいた記事を、掲載時の見出しで示します。",
    ),
    "claims.said": ("What was published", "掲載された記述"),
    "claims.truth": ("What the sources show", "出典が示す事実"),
    "claims.found_in": ("Published in", "掲載記事"),
    # Sources
    "sources.filter": ("Filter", "絞り込み"),
    "sources.kind": ("Kind", "種類"),
    "sources.all": ("All kinds", "すべての種類"),
    "sources.originals": ("All originals", "原典すべて"),
    "sources.not_originals": ("All copies, reposts and summaries", "写し・転載・要約すべて"),
    "sources.group_originals": ("Originals", "原典"),
    "sources.group_others": ("Not originals", "原典以外"),
    "sources.count": ("{n} of {total} sources", "全{total}件中{n}件"),
    "sources.show_all": ("Show all {n}", "{n}件すべて表示"),
    "sources.copy_of": ("copy of {title}", "「{title}」の写し"),
    "sources.carries": ("{publisher}'s story", "{publisher}の記事"),
    "sources.quality_title": ("How the facts are sourced", "事実の裏付け"),
    "sources.quality_facts": (
        "{on} of {facts} facts ({share}) cite at least one original: the company itself, a public"
        " body, a wire, a newspaper, a broadcaster or the trade press.",
        "{facts}件の事実のうち{on}件（{share}）が、当事者・公的機関・通信社・新聞・放送局・業界紙の"
        "いずれかの原典を少なくとも1件挙げています。",
    ),
    "sources.quality_marked": (
        "{n} facts rest only on copies, reposts or summaries, because no original was found:"
        " each is marked where it appears. Which, and why",
        "{n}件の事実は原典が見つからず、写し・転載・要約のみに基づきます（表示箇所に明記）。一覧と理由",
    ),
    "sources.quality_sources": (
        "{sources} sources: {originals} originals, {dated} dated ({share}).",
        "出典{sources}件：原典{originals}件、公開日の分かるもの{dated}件（{share}）。",
    ),
    "sources.no_original": ("No original source", "原典なし"),
    "sources.no_original_help": (
        "None of these sources is an original (the company, a public body, a wire, a newspaper,"
        " a broadcaster or the trade press).",
        "これらの出典に原典（当事者・公的機関・通信社・新聞・放送局・業界紙）は含まれません。",
    ),
    # The reader's tools
    "tools.menu": ("Share & tools", "共有・ツール"),
    "tools.copy_link": ("Copy link", "リンクをコピー"),
    "tools.copied": ("Link copied", "リンクをコピーしました"),
    "tools.dark": ("Dark theme", "ダークテーマ"),
    "tools.print": ("Print", "印刷"),
    "tools.cite": ("Cite this", "引用する"),
    "tools.copy_citation": ("Copy citation", "引用をコピー"),
    "tools.copied_citation": ("Citation copied", "引用をコピーしました"),
    "tools.dataset_json": ("Data (JSON)", "データ（JSON）"),
    "tools.dataset_csv": ("Data (CSV, zip)", "データ（CSV・zip）"),
    "tools.kernel_off": (
        "This page runs without its Python session (the server is busy): everything on it works; "
        "only Python code that follows the page is off.",
        "このページはPythonセッションなしで動いています（サーバーが混雑中）。表示と操作はすべて使えます。"
        "ページに連動するPythonコードのみ停止しています。",
    ),
    "tools.kernel_lost": (
        "The page's Python session has ended: everything on it still works; reload the page to "
        "start a new one.",
        "このページのPythonセッションは終了しました。表示と操作はそのまま使えます。"
        "新しいセッションを始めるにはページを再読み込みしてください。",
    ),
    "tools.embed": ("Embed this view", "この表示を埋め込む"),
    "tools.embed_note": (
        "Paste this into a web page to show this view alone:",
        "次のコードをウェブページに貼ると、この表示だけを載せられます：",
    ),
    "tools.full_explainer": ("Open the full explainer", "解説全体を開く"),
    # Errors
    "error.title": ("The dataset could not be loaded", "データを読み込めませんでした"),
    "error.intro": ("{n} problem(s) in {file}:", "{file}に{n}件の問題があります："),
    "error.more": ("…and {n} more problems", "…ほか{n}件の問題"),
}

_VOCABULARY: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        "confirmed": ("confirmed", "確認済み"),
        "reported": ("reported", "報道のみ"),
        "unverified": ("unverified", "未確認"),
    },
    "verdict": {
        "true": ("true", "正しい"),
        "mostly_true": ("mostly true", "おおむね正しい"),
        "misleading": ("misleading", "誤解を招く"),
        "false": ("false", "誤り"),
        "disputed": ("disputed", "見解が分かれる"),
        "unresolved": ("unresolved", "未決着"),
        "superseded": ("overtaken by events", "その後の展開で古くなった"),
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
        "dispute": ("Disputes", "対立"),
    },
    "commitment": {
        "equity": ("Equity", "出資"),
        "technology": ("Technology", "技術"),
        "operations": ("Operations", "運営"),
        "financing": ("Financing", "融資"),
        "compute_purchase": ("Compute purchase", "計算資源の購入"),
    },
    # In `originals.SOURCE_KINDS` order: originals, labelled copies, then the rest.
    "source_kind": {
        "primary": ("Primary (the company)", "一次資料（当事者）"),
        "regulator": ("Public body", "公的機関"),
        "wire": ("Wire", "通信社"),
        "newspaper": ("Newspaper", "新聞・雑誌"),
        "broadcaster": ("Broadcaster", "放送局"),
        "trade": ("Trade press", "業界紙"),
        "copy": ("Copy of an original", "原典の写し"),
        "blog": ("Blog", "ブログ"),
        "aggregator": ("Aggregator", "まとめサイト"),
        "repost": ("Repost", "転載サイト"),
        "content_farm": ("Content farm / AI summary", "量産・AI要約サイト"),
    },
    "currency": {
        "USD": ("US dollars", "米ドル"),
        "JPY": ("Japanese yen", "日本円"),
        "CNY": ("Chinese yuan", "人民元"),
    },
    "currency_short": {
        "USD": ("US$", "ドル"),
        "JPY": ("¥", "円"),
        "CNY": ("CN¥", "元"),
    },
}


def ui_model() -> dict:
    """The interface's words for the page model: `strings` and `terms`, each [English, Japanese]."""
    return {
        "strings": {key: list(pair) for key, pair in _STRINGS.items()},
        "terms": {
            vocabulary: {value: list(pair) for value, pair in values.items()}
            for vocabulary, values in _VOCABULARY.items()
        },
    }


def text(key: str, lang: str, **values: object) -> str:
    """The interface string `key` in `lang`, with `{placeholders}` filled from `values`."""
    english, japanese = _STRINGS[key]
    template = japanese if lang == "ja" else english
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def term(vocabulary: str, value: str, lang: str) -> str:
    """A controlled-vocabulary value (a status, lane, kind) as a reader-facing label."""
    english, japanese = _VOCABULARY[vocabulary][value]
    return japanese if lang == "ja" else english


def terms(vocabulary: str) -> list[str]:
    return list(_VOCABULARY[vocabulary])


def all_keys() -> list[str]:
    return list(_STRINGS)


# --- numbers, money and dates: the rules of static/runtime/i18n.js --------------------------
MINUS = "\u2212"


def round_half_up(value: float, digits: int) -> float:
    """Rounding as the page script's `Math.floor(x + 0.5)` does it (Python's `round` goes to
    even), so both sides write the same digits."""
    factor = 10**digits
    return math.floor(value * factor + 0.5) / factor


def format_number(value: float | None, digits: int = 1, keep: bool = False) -> str:
    """`value` with at most `digits` decimals (trailing zeros dropped unless `keep`), thousands
    grouped, and a true minus sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    rounded = round_half_up(abs(value), digits)
    text_ = f"{rounded:.{digits}f}"
    if not keep and "." in text_:
        text_ = text_.rstrip("0").rstrip(".")
    whole, _, fraction = text_.partition(".")
    grouped = f"{int(whole):,}"
    sign = MINUS if value < 0 and rounded != 0 else ""
    return sign + grouped + ("." + fraction if fraction else "")


def format_percent(value: float, digits: int = 1, signed: bool = False) -> str:
    sign = "+" if signed and round_half_up(value, digits) > 0 else ""
    return f"{sign}{format_number(value, digits)}%"


_SYMBOL = {"USD": "$", "JPY": "¥", "CNY": "CN¥"}
_JA_WORD = {"USD": "ドル", "JPY": "円", "CNY": "元"}
_UNITS = {
    "en": {"B": (1.0, 1, "B"), "T": (1000.0, 2, "T")},
    "ja": {"oku": (0.1, 0, "億"), "cho": (1000.0, 2, "兆")},
}


def money_unit(largest: float, lang: str) -> str:
    """The unit for amounts up to `largest` (billions of the currency)."""
    if lang == "ja":
        return "cho" if abs(largest) >= 1000 else "oku"
    return "T" if abs(largest) >= 1000 else "B"


def format_in_unit(billions: float, lang: str, currency: str, unit: str) -> str:
    divisor, digits, suffix = _UNITS[lang][unit]
    number = format_number(billions / divisor, digits)
    if lang == "ja":
        return f"{number}{suffix}{_JA_WORD[currency]}"
    symbol = _SYMBOL[currency]
    if number.startswith(MINUS):
        return f"{MINUS}{symbol}{number[1:]}{suffix}"
    return f"{symbol}{number}{suffix}"


def format_money(usd_bn: float | None, lang: str, currency: str = "USD", rate: float = 1.0) -> str:
    """An amount in US$ billions, converted at `rate`, in the unit its size calls for: "$19B",
    "$1.25T", "¥2.95T" in English; "190億ドル", "2.95兆円" in Japanese."""
    if usd_bn is None or (isinstance(usd_bn, float) and math.isnan(usd_bn)):
        return "—"
    billions = usd_bn * rate
    return format_in_unit(billions, lang, currency, money_unit(billions, lang))


_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_date(value: dt.date | str | None, lang: str, precision: str = "day") -> str:
    """A date as a reader in `lang` writes it, no more precise than the data."""
    if value is None or (not isinstance(value, str) and _is_missing(value)):
        return "—"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    quarter = (value.month - 1) // 3 + 1
    if lang == "ja":
        return {
            "day": f"{value.year}年{value.month}月{value.day}日",
            "month": f"{value.year}年{value.month}月",
            "quarter": f"{value.year}年第{quarter}四半期",
            "year": f"{value.year}年",
        }[precision]
    return {
        "day": f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}",
        "month": f"{_MONTHS_EN[value.month - 1]} {value.year}",
        "quarter": f"Q{quarter} {value.year}",
        "year": f"{value.year}",
    }[precision]


def _is_missing(value: object) -> bool:
    try:
        return value != value  # NaN and NaT
    except (TypeError, ValueError):
        return False
