/**
 * Upstream's file-level fixtures: every test is skipped when the stack has no files provider (an
 * autouse fixture: each port calls it first, so the stack's provider traffic matches upstream's), and
 * content checks are left out for remote::openai, which refuses content downloads for most purposes.
 */
import type { UpstreamTestContext } from "@llama-stack-tests/stack";
import { expect } from "vitest";

/** Skips the case when the stack lists no provider for the files API. */
export async function requireFilesProvider<P>(t: UpstreamTestContext<P>): Promise<void> {
  const providers = await t.client.providers.list();
  if (!providers.some((p) => p.api === "files")) t.skip("No files providers found");
}

/** True when the single files provider is remote::openai (upstream asserts there is exactly one). */
export async function providerTypeIsOpenai<P>(t: UpstreamTestContext<P>): Promise<boolean> {
  const providers = (await t.client.providers.list()).filter((p) => p.api === "files");
  expect(providers, "Expected exactly one files provider").toHaveLength(1);
  return providers[0]?.provider_type === "remote::openai";
}
