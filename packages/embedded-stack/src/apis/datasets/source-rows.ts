/**
 * The rows of a dataset source, loaded the way upstream's localfs provider loads them: inline rows as a
 * table, `.csv` URIs (http(s), file: or a local path) and `data:` URLs with a text/* type read as CSV.
 * Excel sources (`.xlsx`, non-text data URLs) need pandas' Excel reader, which this stack does not have.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { stackClosingSignal } from "../../context/request-context.js";
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

/**
 * The location a URI names, without what its reader ignores: a URL's query and fragment are not part of
 * the file it reads, so `file:///etc/passwd#.csv` names `/etc/passwd`, not a CSV file.
 */
function locationPath(uri: string): string {
  if (!/^(https?|file):/i.test(uri)) return uri;
  try {
    return new URL(uri).pathname;
  } catch {
    throw new InvalidValueError(`Invalid dataset URI: ${uri}`);
  }
}

async function uriText(uri: string): Promise<string> {
  if (uri.startsWith("data:")) return dataUrlText(uri);
  const path = locationPath(uri);
  if (path.endsWith(".csv")) return readCsvLocation(uri);
  if (path.endsWith(".xlsx")) throw new UnsupportedSourceError("Excel (.xlsx)");
  throw new InvalidValueError(`Unsupported file type: ${uri}`);
}

async function readCsvLocation(uri: string): Promise<string> {
  if (/^https?:\/\//i.test(uri)) {
    let res: Response;
    try {
      res = await fetch(outboundUrl(uri), { signal: stackClosingSignal() });
    } catch (err) {
      throw new InvalidValueError(`Could not fetch dataset ${uri}: ${((err as Error).cause as Error | undefined)?.message ?? (err as Error).message}`);
    }
    if (!res.ok) throw new InvalidValueError(`HTTP Error ${res.status}: could not read dataset ${uri}`);
    return res.text();
  }
  let path: string;
  try {
    path = uri.startsWith("file:") ? fileURLToPath(uri) : uri;
  } catch (err) {
    throw new InvalidValueError(`Invalid dataset URI ${uri}: ${(err as Error).message}`);
  }
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InvalidValueError(`No such dataset file: '${path}'`);
    throw new InvalidValueError(`Cannot read dataset file '${path}' (${code ?? (err as Error).message}); register a readable CSV file`);
  }
}

function dataUrlText(uri: string): string {
  const match = DATA_URL.exec(uri);
  if (!match?.groups) throw new InvalidValueError("Invalid Data URL format");
  const { mimetype, base64, data } = match.groups as { mimetype: string; base64?: string; data: string };
  if (mimetype.split("/")[0] !== "text") throw new UnsupportedSourceError(`${mimetype} data URL (Excel)`);
  return base64 ? Buffer.from(data, "base64").toString("utf8") : percentDecode(data);
}

/** Python's urllib.parse.unquote: valid %XX escapes decoded, anything else kept, bytes that are not UTF-8 replaced. */
function percentDecode(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === "%" && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      const char = String.fromCodePoint(text.codePointAt(i) as number);
      bytes.push(...Buffer.from(char, "utf8"));
      i += char.length - 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
