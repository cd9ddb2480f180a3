import { upstreamTest } from "@llama-stack-tests/stack";
import { expect } from "vitest";

const FILE = "tests/integration/providers/test_providers.py";

upstreamTest({ file: FILE, name: "TestProviders::test_providers" }, async (t) => {
  const providers = await t.client.providers.list();
  expect(providers.length).toBeGreaterThan(0);
  for (const listed of providers) {
    const retrieved = await t.client.providers.retrieve(listed.provider_id);
    // Upstream only checks the retrieve succeeds; it must describe a provider listed under that id.
    // Ids may repeat across APIs (upstream's starter has agents and eval both as meta-reference),
    // and retrieve then answers with the first, as upstream's does.
    const sameId = providers.filter((p) => p.provider_id === listed.provider_id);
    expect(retrieved.provider_id).toBe(listed.provider_id);
    expect(sameId.map((p) => `${p.api} ${p.provider_type}`)).toContain(`${retrieved.api} ${retrieved.provider_type}`);
  }
});
