import { upstreamTest } from "@llama-stack-tests/stack";
import { expect } from "vitest";

const FILE = "tests/integration/providers/test_providers.py";

upstreamTest({ file: FILE, name: "TestProviders::test_providers" }, async (t) => {
  const providers = await t.client.providers.list();
  expect(providers.length).toBeGreaterThan(0);
  for (const listed of providers) {
    const retrieved = await t.client.providers.retrieve(listed.provider_id);
    // Upstream only checks the retrieve succeeds; it must describe the provider that was asked for.
    expect(retrieved.provider_id).toBe(listed.provider_id);
    expect(retrieved.api).toBe(listed.api);
    expect(retrieved.provider_type).toBe(listed.provider_type);
  }
});
