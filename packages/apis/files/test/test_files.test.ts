import { upstreamTest, type UpstreamTestContext } from "@llama-stack-tests/stack";
import { failure, statusOf } from "@llama-stack-tests/test-fixtures";
import { toFile as toLlamaStackFile } from "llama-stack-client";
import { toFile } from "openai";
import { expect } from "vitest";

import { providerTypeIsOpenai, requireFilesProvider } from "./files-provider.js";

const file = "tests/integration/files/test_files.py";
const purpose = "assistants";

upstreamTest({ file, name: "test_openai_client_basic_operations" }, async (t) => {
  await requireFilesProvider(t);
  const isOpenai = await providerTypeIsOpenai(t);
  const client = t.openai;
  const testContent = Buffer.from("files test content");
  let uploadedId: string | undefined;
  try {
    const uploaded = await client.files.create({ file: await toFile(testContent, "openai_test.txt"), purpose });
    uploadedId = uploaded.id;
    expect(uploaded.id.startsWith("file-")).toBe(true);
    expect(uploaded).toHaveProperty("filename");
    expect(uploaded.filename).toBe("openai_test.txt");

    let listed = await client.files.list();
    expect(listed.data.map((f) => f.id)).toContain(uploaded.id);

    const retrieved = await client.files.retrieve(uploaded.id);
    expect(retrieved.id).toBe(uploaded.id);

    // remote::openai does not allow content retrieval for most purposes.
    if (!isOpenai) {
      const content = await client.files.content(uploaded.id);
      expect(Buffer.from(await content.arrayBuffer())).toEqual(testContent);
    }

    const deleted = await client.files.delete(uploaded.id);
    expect(deleted.deleted).toBe(true);

    expect(statusOf(await failure(client.files.retrieve(uploaded.id)))).toBe(404);

    listed = await client.files.list();
    expect(listed.data.map((f) => f.id)).not.toContain(uploaded.id);

    expect(statusOf(await failure(client.files.delete(uploaded.id)))).toBe(404);
  } finally {
    if (uploadedId !== undefined) {
      const err = await failure(client.files.delete(uploadedId));
      if (err !== undefined && statusOf(err) !== 404) throw err;
    }
  }
});

const ONE_YEAR_S = 365 * 24 * 3600;

/**
 * Upstream's xfail, held to what the Python server does: its localfs provider accepts expires_after
 * and ignores it (expires_at = created_at + one year). Only a Python server is excused, and only for that.
 */
function skipWhenServerIgnoresExpiry(t: UpstreamTestContext<undefined>, createdAt?: number, expiresAt?: number | null): void {
  if (t.stackKind === "server" && createdAt !== undefined && expiresAt === createdAt + ONE_YEAR_S) {
    t.skip("upstream xfail: Llama Stack 0.4.0's files provider ignores expires_after (expires_at = created_at + one year)");
  }
}

// Upstream marks this xfail ("expires_after not available on all providers"); ported strictly so a
// stack that accepts expires_after must honour it.
upstreamTest({ file, name: "test_expires_after" }, async (t) => {
  await requireFilesProvider(t);
  const client = t.openai;
  let uploadedId: string | undefined;
  try {
    const uploaded = await client.files.create({
      file: await toFile(Buffer.from("expires_after test"), "expires_after.txt"),
      purpose,
      expires_after: { anchor: "created_at", seconds: 4545 },
    });
    uploadedId = uploaded.id;
    expect(uploaded.expires_at).not.toBeNull();
    skipWhenServerIgnoresExpiry(t, uploaded.created_at, uploaded.expires_at);
    expect(uploaded.expires_at).toBe(uploaded.created_at + 4545);

    const listed = await client.files.list();
    expect(listed.data.map((f) => f.id)).toContain(uploaded.id);

    const retrieved = await client.files.retrieve(uploaded.id);
    expect(retrieved.id).toBe(uploaded.id);
  } finally {
    if (uploadedId !== undefined) await failure(client.files.delete(uploadedId));
  }
});

interface FileBody {
  id?: string;
  created_at?: number;
  expires_at?: number | null;
}

// Same xfail note as test_expires_after. A hand-built multipart body with bracketed
// expires_after[...] fields, as clients other than the SDKs send it.
upstreamTest({ file, name: "test_expires_after_requests" }, async (t) => {
  await requireFilesProvider(t);
  const base = "/v1/files";
  let uploadedId: string | undefined;
  try {
    const form = new FormData();
    form.append("file", new Blob([Buffer.from("expires_after via requests")]), "expires_after_with_requests.txt");
    form.append("purpose", purpose);
    form.append("expires_after[anchor]", "created_at");
    form.append("expires_after[seconds]", "4545");
    const resp = await t.fetch(base, { method: "POST", body: form });
    expect(resp.ok, `POST ${base} answered ${resp.status}: ${resp.ok ? "" : await resp.clone().text()}`).toBe(true);
    const result = (await resp.json()) as FileBody;

    expect((result.id ?? "").startsWith("file-")).toBe(true);
    uploadedId = result.id;
    expect(result.created_at).toBeDefined();
    expect(result.created_at).not.toBeNull();
    skipWhenServerIgnoresExpiry(t, result.created_at, result.expires_at);
    expect(result.expires_at).toBe((result.created_at ?? Number.NaN) + 4545);

    const listResp = await t.fetch(base);
    expect(listResp.ok).toBe(true);
    const listed = (await listResp.json()) as { data?: FileBody[] };
    expect((listed.data ?? []).map((f) => f.id)).toContain(uploadedId);

    const retrieveResp = await t.fetch(`${base}/${uploadedId}`);
    expect(retrieveResp.ok).toBe(true);
    expect(((await retrieveResp.json()) as FileBody).id).toBe(uploadedId);
  } finally {
    if (uploadedId !== undefined) await failure(t.fetch(`${base}/${uploadedId}`, { method: "DELETE" }));
  }
});

/**
 * Uploads `content` through llama-stack-client, checks it is listed, retrievable and readable (the
 * content check skipped on the openai provider, as upstream does), then deletes it and returns the answer.
 */
async function uploadReadAndDelete(t: UpstreamTestContext<undefined>, content: string, filename: string) {
  await requireFilesProvider(t);
  const isOpenai = await providerTypeIsOpenai(t);
  const client = t.client;
  const uploaded = await client.files.create({ file: await toLlamaStackFile(Buffer.from(content), filename), purpose });
  try {
    const listed = await client.files.list();
    expect(listed.data.map((f) => f.id)).toContain(uploaded.id);

    const retrieved = await client.files.retrieve(uploaded.id);
    expect(retrieved.id).toBe(uploaded.id);

    if (!isOpenai) expect(await client.files.content(uploaded.id)).toBe(content);

    return await client.files.delete(uploaded.id);
  } catch (e) {
    await failure(client.files.delete(uploaded.id));
    throw e;
  }
}

/**
 * Upstream patches the stack's authenticated user in-process; over HTTP (upstream's server mode)
 * the patch does not reach the stack, so the calls run as the anonymous user, as here.
 */
upstreamTest({ file, name: "test_files_authentication_shared_attributes" }, async (t) => {
  await uploadReadAndDelete(t, "Shared attributes file content", "shared_attributes_file.txt");
});

upstreamTest({ file, name: "test_files_authentication_anonymous_access" }, async (t) => {
  const deleted = await uploadReadAndDelete(t, "Anonymous file content", "anonymous_file.txt");
  expect(deleted.deleted).toBe(true);
});
