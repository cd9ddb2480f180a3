// Upstream has no integration test file for the Prompts API at the pinned commit; these local tests
// assert the behaviour of its reference implementation (core/prompts) through the public routes.
import { upstreamTest } from "@llama-stack-tests/stack";
import { expect } from "vitest";

import { expectApiError } from "./api-error.js";
import { setDefaultVersion, updatePrompt } from "./prompt-writes.js";

/** Not an upstream file: ids outside tests/…py are counted as local tests. */
const file = "local/prompts";
const PROMPT_ID = /^pmpt_[0-9a-f]{48}$/;

upstreamTest({ file, name: "create returns version 1 with a pmpt_ id and the declared variables" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "Hello {{ name }}, welcome to {{place}}", variables: ["name", "place"] });

  expect(created.prompt_id).toMatch(PROMPT_ID);
  expect(created.version).toBe(1);
  expect(created.prompt).toBe("Hello {{ name }}, welcome to {{place}}");
  expect(created.variables).toEqual(["name", "place"]);
});

upstreamTest({ file, name: "create without variables stores an empty variable list" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "A plain system prompt" });

  const fetched = await t.client.prompts.retrieve(created.prompt_id);
  expect(fetched.variables).toEqual([]);
});

upstreamTest({ file, name: "create rejects a template using undeclared variables" }, async (t) => {
  await expectApiError(t.client.prompts.create({ prompt: "Hi {{ who }}", variables: [] }), 400, "undeclared variables");
});

upstreamTest({ file, name: "retrieve returns the default version, or the version asked for" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "v1 text" });
  await updatePrompt(t, created.prompt_id, { prompt: "v2 text", version: 1 });

  const byDefault = await t.client.prompts.retrieve(created.prompt_id);
  expect(byDefault.prompt_id).toBe(created.prompt_id);
  expect(byDefault.version).toBe(2);
  expect(byDefault.prompt).toBe("v2 text");

  const first = await t.client.prompts.retrieve(created.prompt_id, { version: 1 });
  expect(first.version).toBe(1);
  expect(first.prompt).toBe("v1 text");
});

upstreamTest({ file, name: "retrieve of an unknown version fails with 400 naming prompt and version" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "only one version" });

  await expectApiError(t.client.prompts.retrieve(created.prompt_id, { version: 7 }), 400, `Prompt ${created.prompt_id}:7 not found`);
});

upstreamTest({ file, name: "update increments the version and becomes the default" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "Answer as {{ persona }}", variables: ["persona"] });

  const updated = await updatePrompt(t, created.prompt_id, {
    prompt: "Answer briefly as {{ persona }}",
    version: 1,
    variables: ["persona"],
  });

  expect(updated.prompt_id).toBe(created.prompt_id);
  expect(updated.version).toBe(2);
  expect(updated.prompt).toBe("Answer briefly as {{ persona }}");
  expect((await t.client.prompts.retrieve(created.prompt_id)).version).toBe(2);
});

upstreamTest({ file, name: "update with set_as_default false keeps the previous default" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "stable" });

  const draft = await updatePrompt(t, created.prompt_id, { prompt: "draft", version: 1, set_as_default: false });

  expect(draft.version).toBe(2);
  const current = await t.client.prompts.retrieve(created.prompt_id);
  expect(current.version).toBe(1);
  expect(current.prompt).toBe("stable");
});

upstreamTest({ file, name: "update from a version that is not the latest fails with 400" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "one" });
  await updatePrompt(t, created.prompt_id, { prompt: "two", version: 1 });

  await expectApiError(
    updatePrompt(t, created.prompt_id, { prompt: "three", version: 1 }),
    400,
    `'1' is not the latest prompt version for prompt_id='${created.prompt_id}'. Use the latest version '2' in request.`,
  );
});

upstreamTest({ file, name: "versions lists every version in order and flags the default" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "first" });
  await updatePrompt(t, created.prompt_id, { prompt: "second", version: 1 });
  await updatePrompt(t, created.prompt_id, { prompt: "third", version: 2, set_as_default: false });

  const versions = await t.client.prompts.versions.list(created.prompt_id);

  expect(versions.map((p) => p.version)).toEqual([1, 2, 3]);
  expect(versions.map((p) => p.prompt)).toEqual(["first", "second", "third"]);
  expect(versions.map((p) => p.is_default)).toEqual([false, true, false]);
});

upstreamTest({ file, name: "versions of an unknown prompt fails with 400" }, async (t) => {
  const missing = `pmpt_${"0".repeat(48)}`;
  await expectApiError(t.client.prompts.versions.list(missing), 400, `Prompt ${missing} not found`);
});

upstreamTest({ file, name: "set-default-version switches the version retrieve returns" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "v1" });
  await updatePrompt(t, created.prompt_id, { prompt: "v2", version: 1 });

  const chosen = await setDefaultVersion(t, created.prompt_id, 1);

  expect(chosen.version).toBe(1);
  expect(chosen.prompt).toBe("v1");
  expect((await t.client.prompts.retrieve(created.prompt_id)).version).toBe(1);
  const flags = (await t.client.prompts.versions.list(created.prompt_id)).map((p) => [p.version, p.is_default]);
  expect(flags).toEqual([
    [1, true],
    [2, false],
  ]);
});

upstreamTest({ file, name: "set-default-version to a missing version fails with 400" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "v1" });

  await expectApiError(
    setDefaultVersion(t, created.prompt_id, 9),
    400,
    `Prompt ${created.prompt_id} version 9 not found`,
  );
});

upstreamTest({ file, name: "list returns each prompt once at its default version, by prompt_id descending" }, async (t) => {
  const a = await t.client.prompts.create({ prompt: "list a" });
  const b = await t.client.prompts.create({ prompt: "list b" });
  await updatePrompt(t, b.prompt_id, { prompt: "list b v2", version: 1 });

  const prompts = await t.client.prompts.list();

  const ids = prompts.map((p) => p.prompt_id);
  expect(ids).toContain(a.prompt_id);
  expect(ids.filter((id) => id === b.prompt_id)).toHaveLength(1);
  expect(prompts.find((p) => p.prompt_id === b.prompt_id)?.version).toBe(2);
  expect(ids).toEqual([...ids].sort().reverse());
});

upstreamTest({ file, name: "delete removes every version" }, async (t) => {
  const created = await t.client.prompts.create({ prompt: "to delete" });
  await updatePrompt(t, created.prompt_id, { prompt: "to delete v2", version: 1 });

  await t.client.prompts.delete(created.prompt_id);

  expect((await t.client.prompts.list()).map((p) => p.prompt_id)).not.toContain(created.prompt_id);
  await expectApiError(t.client.prompts.retrieve(created.prompt_id), 400, `Prompt ${created.prompt_id}:default not found`);
  await expectApiError(t.client.prompts.retrieve(created.prompt_id, { version: 1 }), 400, "not found");
});

upstreamTest({ file, name: "delete of an unknown prompt fails with 400" }, async (t) => {
  const missing = `pmpt_${"f".repeat(48)}`;
  await expectApiError(t.client.prompts.delete(missing), 400, `Prompt ${missing}:default not found`);
});
