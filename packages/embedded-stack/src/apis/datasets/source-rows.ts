/**
 * The rows of a dataset source, loaded the way upstream's localfs provider loads them: inline rows as a
 * table, `.csv` URIs (http(s), file: or a local path) and `data:` URLs with a text/* type read as CSV.
 * Excel sources (`.xlsx`, non-text data URLs) need pandas' Excel reader, which this stack does not have.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { InvalidValueError } from "../../server/errors.js";
import { outboundUrl } from "../../providers/url-mirror.js";
import { CsvParseError, csvToRows } from "./csv-table.js";
import type { DataSource, Row } from "./types.js";

/** Upstream's NotImplementedError answer (501). */
export class UnsupportedSourceError extends Error {
  readonly statusCode = 501;
  constructor(what: string) {
    super(`Not implemented: ${what} datasets are not supported by this stack; register CSV (a .csv URI or a text/csv data URL) or rows`);
    this.name = "UnsupportedSourceError";
  }
}

/** Upstream's parse_data_url pattern. */
const DATA_URL = /^data:(?<mimetype>[\w/\-+.]+)(?:;charset=[\w-]+)?(?<base64>;base64)?,(?<data>.*)$/s;

export async function loadSourceRows(source: DataSource): Promise<Row[]> {
  if (source.type === "rows") return rowsAsTable(source.rows);
  return csvRows(await uriText(source.uri));
}

/** pandas.DataFrame(rows).to_dict("records"): every row gets every column, missing cells become null. */
export function rowsAsTable(rows: readonly Row[]): Row[] {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
}

function csvRows(text: string): Row[] {
  try {
    return csvToRows(text);
  } catch (err) {
    if (err instanceof CsvParseError) throw new InvalidValueError(err.message);
    throw err;
  }
}

async function uriText(uri: string): Promise<string> {
  if (uri.endsWith(".csv")) return readCsvLocation(uri);
  if (uri.endsWith(".xlsx")) throw new UnsupportedSourceError("Excel (.xlsx)");
  if (uri.startsWith("data:")) return dataUrlText(uri);
  throw new InvalidValueError(`Unsupported file type: ${uri}`);
}

async function readCsvLocation(uri: string): Promise<string> {
  if (/^https?:\/\//i.test(uri)) {
    const res = await fetch(outboundUrl(uri));
    if (!res.ok) throw new InvalidValueError(`HTTP Error ${res.status}: could not read dataset ${uri}`);
    return res.text();
  }
  const path = uri.startsWith("file:") ? fileURLToPath(uri) : uri;
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new InvalidValueError(`No such dataset file: '${path}'`);
    throw err;
  }
}

function dataUrlText(uri: string): string {
  const match = DATA_URL.exec(uri);
  if (!match?.groups) throw new InvalidValueError("Invalid Data URL format");
  const { mimetype, base64, data } = match.groups as { mimetype: string; base64?: string; data: string };
  if (mimetype.split("/")[0] !== "text") throw new UnsupportedSourceError(`${mimetype} data URL (Excel)`);
  return base64 ? Buffer.from(data, "base64").toString("utf8") : decodeURIComponent(data);
}
