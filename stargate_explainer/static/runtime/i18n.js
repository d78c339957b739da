// Words and numbers as a reader of each language expects them. The interface's words come
// from the page model (`model.ui`, made by stargate_explainer.i18n); the formats below are the
// ones stargate_explainer.i18n also implements for Python users, and tests/test_parity.py runs
// both on the same cases.

const MINUS = "\u2212";

// Rounding as Python's stargate_explainer.funding.round_half_up does it, so both sides agree.
export function roundHalfUp(value, digits) {
  const factor = 10 ** digits;
  return Math.floor(value * factor + 0.5) / factor;
}

// `value` with at most `digits` decimals (trailing zeros dropped unless `keep`), thousands
// grouped, and a true minus sign.
export function formatNumber(value, digits = 1, keep = false) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const rounded = roundHalfUp(Math.abs(value), digits);
  let text = rounded.toFixed(digits);
  if (!keep && text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  const [whole, fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = value < 0 && rounded !== 0 ? MINUS : "";
  return sign + grouped + (fraction ? "." + fraction : "");
}

export function formatPercent(value, digits = 1, signed = false) {
  const sign = signed && roundHalfUp(value, digits) > 0 ? "+" : "";
  return sign + formatNumber(value, digits) + "%";
}

const SYMBOL = { USD: "$", JPY: "¥", CNY: "CN¥" };
const JA_WORD = { USD: "ドル", JPY: "円", CNY: "元" };
// The units a money chart or value can be written in, per language: what a value is divided
// by (from billions), how many decimals it keeps, and how it is written.
const UNITS = {
  en: {
    B: { divisor: 1, digits: 1, suffix: "B" },
    T: { divisor: 1000, digits: 2, suffix: "T" },
  },
  ja: {
    oku: { divisor: 0.1, digits: 0, suffix: "億" },
    cho: { divisor: 1000, digits: 2, suffix: "兆" },
  },
};
const AXIS_TITLES = {
  en: { B: "{symbol} billions", T: "{symbol} trillions" },
  ja: { oku: "億{word}", cho: "兆{word}" },
};

// The unit for amounts up to `largest` (in billions of the currency): trillions / 兆 from one
// trillion up, billions / 億 below.
export function moneyUnit(largest, lang) {
  if (lang === "ja") return Math.abs(largest) >= 1000 ? "cho" : "oku";
  return Math.abs(largest) >= 1000 ? "T" : "B";
}

// An amount in billions of `currency` written in `unit`.
export function formatInUnit(billions, lang, currency, unit) {
  const spec = UNITS[lang][unit];
  const number = formatNumber(billions / spec.divisor, spec.digits);
  if (lang === "ja") return `${number}${spec.suffix}${JA_WORD[currency]}`;
  const symbol = currency === "USD" ? "$" : SYMBOL[currency];
  return number.startsWith(MINUS)
    ? `${MINUS}${symbol}${number.slice(1)}${spec.suffix}`
    : `${symbol}${number}${spec.suffix}`;
}

// An amount given in US$ billions, converted at `rate`, in the unit its size calls for:
// "$19B", "$1.25T", "¥2.95T" in English; "190億ドル", "2.95兆円" in Japanese.
export function formatMoney(usdBn, lang, currency = "USD", rate = 1) {
  if (usdBn === null || usdBn === undefined || Number.isNaN(usdBn)) return "—";
  const billions = usdBn * rate;
  return formatInUnit(billions, lang, currency, moneyUnit(billions, lang));
}

// One unit for every value of a chart (`largest` in billions of the currency): labels, ticks
// and the axis title then agree.
export function moneyScale(largest, lang, currency) {
  const unit = moneyUnit(largest, lang);
  const spec = UNITS[lang][unit];
  const symbol = currency === "USD" ? "US$" : SYMBOL[currency];
  return {
    unit,
    divisor: spec.divisor,
    format: (billions) => formatInUnit(billions, lang, currency, unit),
    tick: (billions) => formatNumber(billions / spec.divisor, spec.digits),
    title: AXIS_TITLES[lang][unit].replace("{symbol}", symbol).replace("{word}", JA_WORD[currency]),
  };
}

const MONTHS_EN = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

// "2025-01-21" as a reader writes it, no more precise than the data.
export function formatDate(iso, lang, precision = "day") {
  if (!iso) return "—";
  const [year, month, day] = iso.split("-").map(Number);
  const quarter = Math.floor((month - 1) / 3) + 1;
  if (lang === "ja") {
    return {
      day: `${year}年${month}月${day}日`,
      month: `${year}年${month}月`,
      quarter: `${year}年第${quarter}四半期`,
      year: `${year}年`,
    }[precision];
  }
  return {
    day: `${day} ${MONTHS_EN[month - 1]} ${year}`,
    month: `${MONTHS_EN[month - 1]} ${year}`,
    quarter: `Q${quarter} ${year}`,
    year: `${year}`,
  }[precision];
}

// Short forms for axes and compact lists: "Jan 2025", "2025年1月".
export function formatMonth(iso, lang) {
  const [year, month] = iso.split("-").map(Number);
  return lang === "ja" ? `${year}年${month}月` : `${MONTHS_EN[month - 1].slice(0, 3)} ${year}`;
}

// The interface's words in `lang`, with `{name}` placeholders filled from `values`.
export function makeText(ui, lang) {
  const table = ui.strings;
  const text = (key, values) => {
    const entry = table[key];
    let result = entry ? entry[lang === "ja" ? 1 : 0] : key;
    if (values) {
      for (const [name, value] of Object.entries(values)) result = result.split(`{${name}}`).join(String(value));
    }
    return result;
  };
  text.term = (vocabulary, value) => {
    const entry = (ui.terms[vocabulary] || {})[value];
    return entry ? entry[lang === "ja" ? 1 : 0] : String(value);
  };
  text.lang = lang;
  return text;
}

// A bilingual value from the data ({en, ja}) in `lang`.
export function pick(value, lang) {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? value[lang] ?? value.en ?? "" : String(value);
}
