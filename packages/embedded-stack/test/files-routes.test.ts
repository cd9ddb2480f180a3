import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RoutesHarness, startRoutesHarness } from "./files-routes-harness.js";

let h: RoutesHarness;
beforeAll(async () => {
  h = await startRoutesHarness();
});
afterAll(async () => {
  await h.close();
});

describe("files routes", () => {
  it("uploads, retrieves, serves content and deletes a file", async () => {
    const up = await h.upload("hello files", "hello.txt");
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ object: "file", bytes: 11, filename: "hello.txt", purpose: "assistants" });
    expect(up.body.id).toMatch(/^file-[0-9a-f]{32}$/);
    expect(up.body.expires_at - up.body.created_at).toBe(365 * 24 * 3600);

    expect((await h.call("GET", `/v1/files/${up.body.id}`)).body).toEqual(up.body);
    const content = await h.call("GET", `/v1/files/${up.body.id}/content`);
    expect(content.status).toBe(200);
    expect(content.body).toBe("hello files");
    expect(content.headers.get("content-type")).toBe("application/octet-stream");
    expect(content.headers.get("content-disposition")).toBe('attachment; filename="hello.txt"');

    const del = await h.call("DELETE", `/v1/files/${up.body.id}`);
    expect(del.body).toEqual({ id: up.body.id, object: "file", deleted: true });
    const gone = await h.call("GET", `/v1/files/${up.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.detail).toBe(`File '${up.body.id}' not found. Use 'client.files.list()' to list available Files.`);
  });

  it("serves content of a file whose name a latin-1 header cannot carry", async () => {
    const up = await h.upload("snow", "snow ☃.txt");
    expect(up.body.filename).toBe("snow ☃.txt");
    const content = await h.call("GET", `/v1/files/${up.body.id}/content`);
    expect(content.status).toBe(200);
    expect(content.headers.get("content-disposition")).toBe(
      `attachment; filename="snow _.txt"; filename*=UTF-8''${encodeURIComponent("snow ☃.txt")}`,
    );
  });

  it("honours expires_after sent as bracket form fields", async () => {
    const up = await h.upload("x", "exp.txt", {
      purpose: "batch",
      "expires_after[anchor]": "created_at",
      "expires_after[seconds]": "4545",
    });
    expect(up.body.expires_at).toBe(up.body.created_at + 4545);
    expect(up.body.purpose).toBe("batch");
  });

  it("lists with purpose filter, order and cursor pagination", async () => {
    const ids: string[] = [];
    for (const name of ["a.txt", "b.txt", "c.txt"]) ids.push((await h.upload(name, name, { purpose: "assistants" })).body.id);
    const asc = await h.call("GET", "/v1/files?purpose=assistants&order=asc&limit=2");
    expect(asc.status).toBe(200);
    expect(asc.body.object).toBe("list");
    expect(asc.body.has_more).toBe(true);
    const all = await h.call("GET", "/v1/files?purpose=assistants&order=asc");
    const listed: string[] = all.body.data.map((f: { id: string }) => f.id);
    expect(listed.slice(-3)).toEqual(ids);
    expect(all.body.data.every((f: { purpose: string }) => f.purpose === "assistants")).toBe(true);

    const page = await h.call("GET", `/v1/files?purpose=assistants&order=asc&after=${ids[0]}&limit=1`);
    expect(page.body.data.map((f: { id: string }) => f.id)).toEqual([ids[1]]);
    expect(page.body.first_id).toBe(ids[1]);
    expect(page.body.last_id).toBe(ids[1]);
    const desc = await h.call("GET", "/v1/files?purpose=assistants&limit=1");
    expect(desc.body.data[0].id).toBe(ids[2]);
  });

  it.each<[string, () => Promise<{ status: number; body: any }>, number, unknown]>([
    ["no file part", () => postForm({ purpose: "assistants" }), 400, { errors: [{ loc: ["body", "file"], msg: "Field required", type: "missing" }] }],
    ["no purpose", () => h.upload("x", "x.txt", {}), 400, { errors: [{ loc: ["body", "purpose"], msg: "Field required", type: "missing" }] }],
    ["unknown purpose", () => h.upload("x", "x.txt", { purpose: "fine-tune" }), 400, {
      errors: [{ loc: ["body", "purpose"], msg: "Input should be 'assistants' or 'batch'", type: "enum" }],
    }],
    ["JSON instead of a form", () => h.call("POST", "/v1/files", { purpose: "batch" }), 400, {
      errors: [
        { loc: ["body", "file"], msg: "Field required", type: "missing" },
        { loc: ["body", "purpose"], msg: "Field required", type: "missing" },
      ],
    }],
    ["bad order", () => h.call("GET", "/v1/files?order=sideways"), 400, {
      errors: [{ loc: ["query", "order"], msg: "Input should be 'asc' or 'desc'", type: "enum" }],
    }],
    ["bad purpose filter", () => h.call("GET", "/v1/files?purpose=nope"), 400, {
      errors: [{ loc: ["query", "purpose"], msg: "Input should be 'assistants' or 'batch'", type: "enum" }],
    }],
    ["unknown cursor", () => h.call("GET", "/v1/files?after=file-missing"), 400,
      "Invalid value: Record with id='file-missing' not found in table 'openai_files'"],
    ["unknown file content", () => h.call("GET", "/v1/files/file-nope/content"), 404,
      "File 'file-nope' not found. Use 'client.files.list()' to list available Files."],
    ["delete unknown file", () => h.call("DELETE", "/v1/files/file-nope"), 404,
      "File 'file-nope' not found. Use 'client.files.list()' to list available Files."],
  ])("rejects %s", async (_name, send, status, detail) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error.detail).toEqual(detail);
  });
});

async function postForm(fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${h.url}/v1/files`, { method: "POST", body: form });
  return { status: res.status, body: await res.json() };
}
