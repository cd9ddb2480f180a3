import type { ListPage } from "./types.js";

/**
 * Cursor pagination over an already sorted list, as upstream pages vector stores and their files.
 * - "slice" (stores, store files): drop up to `after`, cut at `before`, then take `limit`;
 *   has_more says whether the cut list is longer than the page.
 * - "window" (files of a batch): the page starts after `after` and ends at `before` or after
 *   `limit` items; has_more says whether anything follows the page in the whole list.
 * An unknown cursor is ignored.
 */
export function paginateByCursor<T extends { id: string }>(
  items: T[],
  limit: number,
  after: string | null | undefined,
  before: string | null | undefined,
  mode: "slice" | "window" = "slice",
): ListPage<T> {
  let data: T[];
  let hasMore: boolean;
  if (mode === "slice") {
    let rest = items;
    if (after) {
      const i = rest.findIndex((x) => x.id === after);
      if (i >= 0) rest = rest.slice(i + 1);
    }
    if (before) {
      const i = rest.findIndex((x) => x.id === before);
      if (i >= 0) rest = rest.slice(0, i);
    }
    data = rest.slice(0, Math.max(0, limit));
    hasMore = rest.length > limit;
  } else {
    const start = after ? items.findIndex((x) => x.id === after) + 1 : 0;
    let end = start + limit;
    if (before) {
      const i = items.findIndex((x, j) => j >= start && x.id === before);
      if (i >= 0) end = i;
    }
    data = items.slice(start, end);
    hasMore = end < items.length;
  }
  return {
    object: "list",
    data,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
    has_more: hasMore,
  };
}
