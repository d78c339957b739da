// Claims as threads: the statement, its replies (one level, never a staircase), and a verdict
// with the sources behind it, newest story first. Below, errors in press coverage: the
// published article, what it said, and what the sources show.

import { h, nowrap } from "./dom.js";
import { formatDate, pick } from "./i18n.js";
import { originalTag, sourceItems } from "./chart.js";
import { badge, verdictBadge, viewHeader, viewOf } from "./common.js";

export function createClaimsView(ctx) {
  const { t, page, lang } = ctx;
  const el = h("section", { class: "sg-view sg-view-claims", "data-view": "claims" });
  el.append(viewHeader(ctx, "claims"));
  const claims = page.data.claims;
  // Each reply belongs to the thread of its first statement.
  const rootOf = (claim) => {
    let current = claim;
    const seen = new Set();
    while (current.replies_to && page.claims.has(current.replies_to) && !seen.has(current.id)) {
      seen.add(current.id);
      current = page.claims.get(current.replies_to);
    }
    return current;
  };
  const threads = new Map();
  for (const claim of claims) {
    const root = rootOf(claim);
    if (!threads.has(root.id)) threads.set(root.id, { root, replies: [] });
    if (root.id !== claim.id) threads.get(root.id).replies.push(claim);
  }
  const latest = (thread) => [thread.root, ...thread.replies].map((c) => c.date).sort().pop();
  const ordered = [...threads.values()].sort((a, b) => (latest(a) < latest(b) ? 1 : latest(a) > latest(b) ? -1 : 0));

  const card = (claim, reply) => {
    const speaker = page.speaker(claim.speaker_id);
    const parent = reply && claim.replies_to !== rootOf(claim).id ? page.claims.get(claim.replies_to) : null;
    return h(
      "article",
      { class: "sg-claim" + (reply ? " sg-reply" : ""), "data-claim": claim.id },
      h(
        "p",
        { class: "sg-meta" },
        reply ? h("span", { class: "sg-reply-tag" }, t("claims.reply")) : null,
        h("strong", {}, speaker ? pick(speaker.name, lang) : claim.speaker_id),
        " · ",
        nowrap(formatDate(claim.date, lang, claim.date_precision || "day")),
        parent ? ` · ${t("claims.replying_to", { name: pick(page.speaker(parent.speaker_id)?.name, lang) })}` : "",
        " ",
        badge(t, claim.status),
        originalTag(ctx, claim.sources)
      ),
      h("blockquote", {}, quote(lang, claim.text[lang])),
      claim.text.lang !== lang ? h("p", { class: "sg-original", lang: claim.text.lang }, quote(claim.text.lang, claim.text.original)) : null,
      h("p", { class: "sg-context" }, pick(claim.context, lang)),
      h(
        "div",
        { class: "sg-verdict-box" },
        verdictBadge(t, claim.verdict),
        claim.verdict_note ? h("p", {}, pick(claim.verdict_note, lang)) : null,
        h("details", {}, h("summary", {}, t("claims.verdict_sources")), sourceItems(ctx, claim.verdict_sources))
      ),
      h("details", {}, h("summary", {}, t("claims.statement_sources")), sourceItems(ctx, claim.sources))
    );
  };
  const list = h("div", { class: "sg-threads" });
  for (const thread of ordered) {
    const replies = [...thread.replies].sort((a, b) => (a.date < b.date ? -1 : 1));
    list.append(h("section", { class: "sg-thread", "data-thread": thread.root.id }, card(thread.root, false), ...replies.map((r) => card(r, true))));
  }
  el.append(list);

  el.append(h("h3", { class: "sg-section-title" }, t("claims.corrections")), h("p", { class: "sg-lede" }, t("claims.corrections_intro")));
  const corrections = h("div", { class: "sg-corrections" });
  for (const c of page.data.corrections) {
    const where = c.found_in;
    corrections.append(
      h(
        "article",
        { class: "sg-correction", "data-correction": c.id },
        h(
          "p",
          { class: "sg-meta" },
          `${t("claims.found_in")}: `,
          h("cite", { lang: c.said.lang }, quote(c.said.lang === "ja" ? "ja" : "en", where.headline)),
          ` — ${where.outlet}`,
          where.date ? [", ", nowrap(formatDate(where.date, lang, where.date_precision || "day"))] : null
        ),
        h("p", {}, h("strong", {}, `${t("claims.said")}: `), h("span", { lang: c.said.lang }, quote(c.said.lang, c.said.original)), c.said.lang !== lang ? ` (${c.said[lang]})` : ""),
        h("p", {}, h("strong", {}, `${t("claims.truth")}: `), pick(c.truth, lang)),
        sourceItems(ctx, c.sources)
      )
    );
  }
  el.append(corrections);
  return viewOf(ctx, el, () => {});
}

// Quotation marks of the quote's language: 「」 in Japanese, “” otherwise.
function quote(lang, text) {
  return lang === "ja" ? `「${text}」` : `“${text}”`;
}
