// Small helpers for building the page. Text from the data only ever becomes `textContent` or
// an attribute value here, never HTML, and links only take http(s) addresses.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "text") element.textContent = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// h("p", {class: "x"}, "text", child…): an HTML element.
export function h(tag, attributes, ...children) {
  return build(document.createElement(tag), attributes, children);
}

// s("rect", {x: 1}): an SVG element.
export function s(tag, attributes, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attributes, children);
}

// Replace an element's children; null, undefined and false are left out (the DOM would write
// them as the text "null").
export function fill(element, ...children) {
  element.replaceChildren();
  return build(element, {}, children);
}

export function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : "";
}

export function link(url, label, attributes = {}) {
  const href = safeUrl(url);
  if (!href) return h("span", attributes, label);
  return h("a", { href, target: "_blank", rel: "noopener noreferrer", ...attributes }, label);
}

// A piece of text that must not wrap (a date, an amount): Japanese breaks anywhere otherwise.
// `work` when the page is idle (within `timeout` ms), so it never delays a chart or an input.
export function idle(work, timeout) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(work, { timeout });
  else setTimeout(work, 30);
}

export function nowrap(text) {
  return h("span", { class: "sg-nw" }, text);
}

// A range input's filled part follows its value (the track is drawn from --sg-fill).
export function setRange(input, value) {
  input.value = String(value);
  const min = Number(input.min);
  const max = Number(input.max);
  const fill = max > min ? ((Number(input.value) - min) / (max - min)) * 100 : 0;
  input.style.setProperty("--sg-fill", `${fill}%`);
}

export function save(filename, blob) {
  const href = URL.createObjectURL(blob);
  download(href, filename);
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}

// Starts the browser's download of `href` as `filename`.
export function download(href, filename) {
  h("a", { href, download: filename }).click();
}

// One CSV cell: text a spreadsheet would run as a formula is kept as text (a leading ') and a
// lone carriage return becomes a newline, the rule stargate_explainer.data_export applies to
// every CSV Python writes (tests/test_parity.py runs both).
export function csvCell(value) {
  if (value === null || value === undefined) return "";
  let text = Array.isArray(value) ? value.join(" ") : String(value);
  if (typeof value === "string") {
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    text = text.replace(/\r\n?/g, "\n");
  }
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(header, rows) {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) lines.push(row.map(csvCell).join(","));
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

// --- a zip of text files (stored, not compressed): the dataset's CSVs in one download -------
let crcTable = null;
function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function zipFiles(files) {
  const encoder = new TextEncoder();
  const chunks = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const nameBytes = encoder.encode(name);
    const data = encoder.encode(text);
    const crc = crc32(data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, 0x0800, true); // UTF-8 names
    local.setUint32(14, crc, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, nameBytes.length, true);
    chunks.push(local.buffer, nameBytes, data);
    const entry = new DataView(new ArrayBuffer(46));
    entry.setUint32(0, 0x02014b50, true);
    entry.setUint16(4, 20, true);
    entry.setUint16(6, 20, true);
    entry.setUint16(8, 0x0800, true);
    entry.setUint32(16, crc, true);
    entry.setUint32(20, data.length, true);
    entry.setUint32(24, data.length, true);
    entry.setUint16(28, nameBytes.length, true);
    entry.setUint32(42, offset, true);
    central.push(entry.buffer, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const size = central.reduce((sum, part) => sum + part.byteLength, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, central.length / 2, true);
  end.setUint16(10, central.length / 2, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  return new Blob([...chunks, ...central, end.buffer], { type: "application/zip" });
}

// --- measuring text, so labels are placed before they are drawn ------------------------------
let measureContext = null;
export const FONT_FAMILY =
  '"Noto Sans", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, "Helvetica Neue", Arial, sans-serif';

// Widths are cached: redraws measure the same labels again and again.
const widths = new Map();
let measuredFont = "";
export function textWidth(text, size = 13, weight = 400) {
  const key = `${weight}|${size}|${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    if (!measureContext) measureContext = document.createElement("canvas").getContext("2d");
    const font = `${weight} ${size}px ${FONT_FAMILY}`;
    if (font !== measuredFont) measureContext.font = measuredFont = font;
    width = measureContext.measureText(String(text)).width;
    if (widths.size > 20000) widths.clear();
    widths.set(key, width);
  }
  return width;
}

// `text` broken into lines no wider than `width` px: at spaces in English, between any two
// characters in Japanese except inside a run of digits, Latin letters or punctuation that
// belongs to them ("5,000億ドル" never splits inside "5,000").
export function wrapText(text, width, size = 13, weight = 400, maxLines = 3) {
  // Latin words and numbers stay whole; so does a katakana word, up to and with its "・" (a
  // name such as アーム・ホールディングス breaks between its words, not before its last
  // character), unless it is wider than a line by itself. Other characters break anywhere.
  const tokens = (String(text).match(/[A-Za-z0-9$¥€%.,:'’()\-–+/&]+\s*|[\u30a1-\u30fa\u30fc]+\u30fb?|\s+|[^\sA-Za-z0-9]/g) || [""]).flatMap((token) =>
    /^[\u30a1-\u30fc]/.test(token) && textWidth(token, size, weight) > width ? [...token] : [token]
  );
  // No line ends with an opening bracket or starts with a closing one or a comma or stop.
  for (let i = tokens.length - 1; i > 0; i--) {
    if (/[（「『【［]$/.test(tokens[i - 1]) || /^[）」』】］、。]/.test(tokens[i])) tokens.splice(i - 1, 2, tokens[i - 1] + tokens[i]);
  }
  const lines = [];
  let line = "";
  for (const token of tokens) {
    const candidate = line + token;
    if (line && textWidth(candidate.trimEnd(), size, weight) > width) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else {
      line = candidate;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    let last = kept[maxLines - 1];
    while (last.length > 1 && textWidth(last + "…", size, weight) > width) last = last.slice(0, -1);
    kept[maxLines - 1] = last + "…";
    return kept;
  }
  return lines.length ? lines : [""];
}

// Multi-line SVG text at (x, y) with `lines` (first line's baseline at y).
export function svgLines(lines, attributes, lineHeight) {
  const text = s("text", attributes);
  lines.forEach((line, index) => {
    text.append(s("tspan", { x: attributes.x, dy: index === 0 ? 0 : lineHeight }, line));
  });
  return text;
}

// The drawing's one polite live region: what changed, said once the reader's input settles (a
// slider dragged through twenty values is announced once, at its last), in the drawing's
// language. Emptied first, so the same words said twice are announced twice.
const ANNOUNCE_DELAY = 250;
export function createAnnouncer() {
  const el = h("p", { class: "sg-visually-hidden", role: "status", "aria-live": "polite", "data-sg-live": "" });
  let timer = 0;
  return {
    el,
    say(text, lang) {
      clearTimeout(timer);
      el.textContent = "";
      timer = setTimeout(() => {
        el.lang = lang;
        el.textContent = text;
      }, ANNOUNCE_DELAY);
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

// The tooltip of one drawing: plain text lines, shown near the pointer or a focused element
// that carries them (`element.sgTip`, see chart.attachTooltip). Listens on `root` only; `dispose`
// removes its listeners and its element.
export function createTooltip(root) {
  const tip = h("div", { class: "sg-tooltip", role: "tooltip", hidden: true });
  let shown = null;
  const target = (event) => {
    for (let node = event.target; node && node !== root; node = node.parentNode) if (node.sgTip) return node;
    return null;
  };
  const show = (lines, x, y) => {
    if (tip.parentNode !== root) root.append(tip);
    // The pointer moving over the same target only moves the tooltip.
    if (shown !== lines) {
      tip.replaceChildren(...lines.map((line, i) => h(i === 0 ? "strong" : "div", {}, line)));
      shown = lines;
    }
    tip.hidden = false;
    const box = root.getBoundingClientRect();
    const left = Math.max(4, Math.min(x - box.left + 12, box.width - tip.offsetWidth - 4));
    tip.style.left = `${left}px`;
    tip.style.top = `${y - box.top + 14}px`;
  };
  const hide = () => {
    tip.hidden = true;
  };
  const onPointer = (event) => {
    const found = target(event);
    if (found) show(found.sgTip, event.clientX, event.clientY);
    else hide();
  };
  const onFocus = (event) => {
    const found = target(event);
    if (!found) return hide();
    const box = found.getBoundingClientRect();
    show(found.sgTip, box.left + box.width / 2, box.bottom);
  };
  const listeners = [["pointermove", onPointer], ["pointerleave", hide], ["focusin", onFocus], ["focusout", hide]];
  for (const [name, listener] of listeners) root.addEventListener(name, listener);
  return {
    dispose() {
      for (const [name, listener] of listeners) root.removeEventListener(name, listener);
      tip.remove();
    },
  };
}
