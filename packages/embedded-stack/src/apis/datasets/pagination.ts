/**
 * Upstream's paginate_records: no limit (or -1) returns everything; otherwise the page is
 * records[start : min(start + limit, len)] with Python's slice rules (negative indexes count from the end).
 */
import type { PaginatedRows, Row } from "./types.js";

function sliceIndex(i: number, length: number): number {
  return i < 0 ? Math.max(0, length + i) : Math.min(i, length);
}

export function paginateRows(records: Row[], startIndex?: number | null, limit?: number | null): PaginatedRows {
  if (limit === undefined || limit === null || limit === -1) return { data: records, has_more: false };
  const start = startIndex ?? 0;
  const end = Math.min(start + limit, records.length);
  const data = records.slice(sliceIndex(start, records.length), sliceIndex(end, records.length));
  return { data, has_more: end < records.length };
}
