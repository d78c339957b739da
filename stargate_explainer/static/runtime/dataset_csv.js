// The dataset as one CSV file per table, written in the page from the page model exactly as
// stargate_explainer.data_export writes them (tests/test_parity.py compares the two), so the
// "Data (CSV, zip)" download works in every host, with or without a kernel. The columns, where
// each comes from in a record and its type are the page model's `derived.columns`, made from the
// package's one declaration of the public columns (stargate_explainer.dataset).

import { csvCell } from "./dom.js";

// A float as Python writes it (its repr): "500.0", "0.1", "1e+16", "1.5e-05".
export function pythonFloat(value) {
  const size = Math.abs(value);
  if (size !== 0 && (size >= 1e16 || size < 1e-4)) {
    const [mantissa, exponent] = value.toExponential().split("e");
    const power = Number(exponent);
    return `${mantissa}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
  }
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

function cell(value, kind) {
  if (kind === "bool") return value ? "True" : "False";
  if (value === undefined || value === null) return "";
  if (kind === "float") return pythonFloat(value);
  if (kind === "int" || kind === "date") return String(value);
  return csvCell(Array.isArray(value) ? value.join(";") : value);
}

// A column's value: at `path` in the record, or, for a column computed from other tables
// (["derived", name]), in the record's entry of the model's derived data for its table.
function valueAt(page, table, record, path) {
  if (path[0] === "derived") return page.derived[table]?.[record.id]?.[path[1]];
  return path.reduce((value, part) => value?.[part], record);
}

// File name → CSV text, one per table.
export function datasetFiles(page) {
  const files = {};
  for (const [table, columns] of Object.entries(page.derived.columns)) {
    const lines = [columns.map(([name]) => csvCell(name)).join(",")];
    for (const record of page.data[table] || []) {
      lines.push(columns.map(([, path, kind]) => cell(valueAt(page, table, record, path), kind)).join(","));
    }
    files[`${table}.csv`] = lines.join("\n") + "\n";
  }
  return files;
}
