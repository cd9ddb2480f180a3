/** Settles a promise into its rejection reason; undefined when it resolved. */
export async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

/**
 * HTTP status of an SDK error (openai and llama-stack-client both carry `status`). Upstream's
 * `pytest.raises(NotFoundError)` and the like are the SDKs' mappings of a status; the status is
 * checked rather than the class, which may come from another copy of the SDK.
 */
export function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
    ? error.status
    : undefined;
}
