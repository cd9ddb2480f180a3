/**
 * CSV text to row objects the way pandas' read_csv + to_dict("records") hands them to upstream's
 * localfs provider: first line is the header, blank lines are skipped, each column is typed as a whole
 * (all-integer, all-number or all-boolean columns become numbers/booleans), and pandas' default NA
 * markers become null.
 */
import type { Row } from "./types.js";

/** pandas' default `na_values`. */
const NA_VALUES = new Set([
  "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
  "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
]);
const TRUE_VALUES = new Set(["True", "TRUE", "true"]);
const FALSE_VALUES = new Set(["False", "FALSE", "false"]);
const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$/i;

export class CsvParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvParseError";
  }
}

/** RFC 4180 records: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  const endRecord = () => {
    record.push(field);
    // A line with nothing on it is skipped, as pandas does with skip_blank_lines.
    if (!(record.length === 1 && record[0] === "" && !fieldStarted)) records.push(record);
    record = [];
    field = "";
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"') {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ",") {
      record.push(field);
      field = "";
      fieldStarted = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvParseError("EOF inside string: a quoted CSV field is never closed");
  if (field !== "" || record.length > 0 || fieldStarted) endRecord();
  return records;
}

type Cell = string | number | boolean | null;

/** One column's cells converted as pandas infers the column's dtype. */
function typeColumn(cells: (string | null)[]): Cell[] {
  const present = cells.filter((c): c is string => c !== null);
  if (present.length === 0) return cells.map(() => null);
  if (present.every((c) => INTEGER.test(c.trim())) || present.every((c) => FLOAT.test(c.trim()))) {
    return cells.map((c) => (c === null ? null : Number(c.trim().replace(/^([+-]?)inf(inity)?$/i, "$1Infinity"))));
  }
  if (present.every((c) => TRUE_VALUES.has(c) || FALSE_VALUES.has(c))) {
    return cells.map((c) => (c === null ? null : TRUE_VALUES.has(c)));
  }
  return cells;
}

export function csvToRows(text: string): Row[] {
  const [header, ...body] = parseCsvRecords(text.replace(/^\uFEFF/, ""));
  if (!header) throw new CsvParseError("No columns to parse from file");
  for (const [index, record] of body.entries()) {
    if (record.length > header.length) {
      throw new CsvParseError(`Error tokenizing data. C error: Expected ${header.length} fields in line ${index + 2}, saw ${record.length}`);
    }
  }
  const columns = header.map((_, col) => typeColumn(body.map((record) => {
    const raw = record[col];
    return raw === undefined || NA_VALUES.has(raw) ? null : raw;
  })));
  return body.map((_, rowIndex) => Object.fromEntries(header.map((name, col) => [name, columns[col]?.[rowIndex] ?? null])));
}
