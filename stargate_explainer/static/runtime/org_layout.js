// The org chart's geometry, without the DOM: the boxes and routed edges come with the page model
// (`derived.org_layout`, laid out by ELK when the model is built; see org_layout.py); these
// functions fit that layout to the width at hand, turn routes into paths and fit each label into
// its box. Text is measured by the caller's functions, so everything here is plain arithmetic.

// Below this scale the diagram's text would be smaller than about 11 px: the list is shown.
export const MIN_SCALE = 0.8;

// Scale and left offset of a diagram `layoutWidth` wide beside a column of band titles
// `labelColumn` wide, in `width` px: never enlarged, centred in what the titles leave.
export function fitDiagram(layoutWidth, labelColumn, width) {
  const total = labelColumn + layoutWidth;
  const scale = Math.min(1, width / total);
  const left = labelColumn + Math.max(0, (width / scale - total) / 2);
  return { scale, left, fits: scale >= MIN_SCALE };
}

// An SVG path through `points` ([x, y] pairs) shifted by (dx, dy).
export function routePath(points, dx, dy) {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${(x + dx).toFixed(1)},${(y + dy).toFixed(1)}`).join(" ");
}

// The organisation `id` and every organisation it has a commitment with.
export function partnersOf(edges, id) {
  const set = new Set([id]);
  for (const e of edges) {
    if (e.from === id) set.add(e.to);
    if (e.to === id) set.add(e.from);
  }
  return set;
}

// The vertical extent of each band (from the layout's band spans), with the place of the rule
// above it: half way between it and the band before.
export function bandRows(bands, spans) {
  return bands.map(({ band }, i) => ({ band, top: spans[i][0], bottom: spans[i][1], rule: i ? (spans[i - 1][1] + spans[i][0]) / 2 : null }));
}

// A box's name and second line fitted into its `w` × `h` px: wrapped at the box's inner width
// with the model's sizes (`text`: name and sub [size, line height], pad [x, y], gap), and, when the
// reader's fonts need more room than the layout assumed, at smaller sizes, so a label never
// leaves its box. `wrap(text, width, size, weight, maxLines)` and `measure(text, size, weight)`
// are the caller's. Returns the lines, sizes, line heights and the offsets of the first
// baselines of the name and the second line from the box's top.
export function fitLabel(name, sub, w, h, text, wrap, measure) {
  const inner = w - 2 * text.pad[0];
  const room = h - 2 * text.pad[1];
  const attempt = (factor, maxLines) => {
    const [size, line] = text.name.map((v) => v * factor);
    const [subSize, subLine] = text.sub.map((v) => v * factor);
    const nameLines = wrap(name, inner, size, 700, maxLines);
    const subLines = sub ? wrap(sub, inner, subSize, 400, maxLines) : [];
    const height = nameLines.length * line + (subLines.length ? text.gap + subLines.length * subLine : 0);
    const wide = Math.max(...nameLines.map((l) => measure(l, size, 700)), ...subLines.map((l) => measure(l, subSize, 400)));
    return { nameLines, subLines, size, line, subSize, subLine, height, fits: height <= room + 0.5 && wide <= inner + 0.5 };
  };
  let fitted = null;
  for (const factor of [1, 0.93, 0.86, 0.79, 0.72]) {
    fitted = attempt(factor, 6);
    if (fitted.fits) break;
  }
  if (!fitted.fits) fitted = attempt(0.72, Math.max(1, Math.floor(room / (text.name[1] * 0.72 * 2))));
  const baseline = (h - fitted.height) / 2 + (fitted.line + fitted.size) / 2 - 2;
  return { ...fitted, baseline, subBaseline: baseline + fitted.nameLines.length * fitted.line + text.gap };
}

// The text of each line as it joins the one before, so that the element's text content reads
// as the label does ("Tata Consultancy Services", not "Tata ConsultancyServices"): a line that
// followed a space in `text` starts with one.
export function joinedLines(text, lines) {
  let at = 0;
  return lines.map((line, i) => {
    const found = text.indexOf(line, at);
    const spaced = i > 0 && found > at && /^\s+$/.test(text.slice(at, found));
    if (found >= 0) at = found + line.length;
    return spaced ? ` ${line}` : line;
  });
}
