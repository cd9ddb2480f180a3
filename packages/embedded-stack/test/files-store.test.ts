import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseExpiresAfter } from "../src/apis/files/expires-after.js";
import { FilesStore } from "../src/apis/files/store.js";

let dir: string;
let db: Database.Database;
let clock: number;
let counter: number;
let store: FilesStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "files-store-"));
  db = new Database(join(dir, "stack.db"));
  clock = 1_700_000_000;
  counter = 0;
  store = new FilesStore({
    db,
    dir: join(dir, "files"),
    now: () => clock,
    mintId: (kind) => `${kind === "file" ? "file-" : kind}${String(++counter).padStart(4, "0")}`,
  });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (name: string, purpose: "assistants" | "batch" = "assistants") =>
  store.create({ filename: name, purpose, content: Buffer.from(`content of ${name}`) });

describe("FilesStore", () => {
  it("stores bytes on disk and metadata in SQLite with a one-year default expiry", () => {
    const f = upload("a.txt");
    expect(f).toEqual({
      object: "file",
      id: "file-0001",
      bytes: Buffer.byteLength("content of a.txt"),
      created_at: clock,
      expires_at: clock + 365 * 24 * 3600,
      filename: "a.txt",
      purpose: "assistants",
    });
    expect(store.content(f.id).content.toString()).toBe("content of a.txt");
    expect(readdirSync(join(dir, "files"))).toEqual(["file-0001"]);
  });

  it("anchors expires_after at created_at", () => {
    const f = store.create({
      filename: "e.txt",
      purpose: "batch",
      content: Buffer.from("x"),
      expiresAfter: { anchor: "created_at", seconds: 4545 },
    });
    expect(f.expires_at).toBe(f.created_at + 4545);
  });

  it("hides and removes expired files", () => {
    const f = store.create({
      filename: "e.txt",
      purpose: "batch",
      content: Buffer.from("x"),
      expiresAfter: { anchor: "created_at", seconds: 3600 },
    });
    clock += 3600;
    expect(store.list().data).toEqual([]);
    expect(() => store.retrieve(f.id)).toThrow(/File 'file-0001' not found/);
    expect(readdirSync(join(dir, "files"))).toEqual([]);
  });

  it("pages newest first with has_more, first_id and last_id, never skipping same-second files", () => {
    for (const n of ["1", "2", "3", "4", "5"]) upload(`${n}.txt`);
    const page1 = store.list({ limit: 2 });
    expect(page1.data.map((f) => f.id)).toEqual(["file-0005", "file-0004"]);
    expect(page1).toMatchObject({ has_more: true, first_id: "file-0005", last_id: "file-0004", object: "list" });
    const page2 = store.list({ limit: 2, after: page1.last_id });
    expect(page2.data.map((f) => f.id)).toEqual(["file-0003", "file-0002"]);
    const page3 = store.list({ limit: 2, after: page2.last_id });
    expect(page3.data.map((f) => f.id)).toEqual(["file-0001"]);
    expect(page3.has_more).toBe(false);
    expect(store.list({ order: "asc", limit: 1 }).data[0]?.id).toBe("file-0001");
  });

  it("filters by purpose and reports empty pages with empty ids", () => {
    upload("a.txt", "assistants");
    upload("b.jsonl", "batch");
    expect(store.list({ purpose: "batch" }).data.map((f) => f.filename)).toEqual(["b.jsonl"]);
    db.prepare("DELETE FROM openai_files").run();
    expect(store.list()).toEqual({ object: "list", data: [], has_more: false, first_id: "", last_id: "" });
  });

  it("rejects an unknown cursor like upstream's SQL store", () => {
    expect(() => store.list({ after: "file-nope" })).toThrow(
      "Invalid value: Record with id='file-nope' not found in table 'openai_files'",
    );
  });

  it("deletes bytes and metadata; a second delete is not found", () => {
    const f = upload("a.txt");
    expect(store.delete(f.id)).toEqual({ id: f.id, object: "file", deleted: true });
    expect(readdirSync(join(dir, "files"))).toEqual([]);
    expect(() => store.delete(f.id)).toThrow("File 'file-0001' not found. Use 'client.files.list()' to list available Files.");
  });

  it("drops the record of a file whose bytes vanished", () => {
    const f = upload("a.txt");
    rmSync(join(dir, "files", f.id));
    expect(() => store.content(f.id)).toThrow(/not found/);
    expect(store.list().data).toEqual([]);
  });
});

describe("parseExpiresAfter", () => {
  const fields = (o: Record<string, string>) => new Map(Object.entries(o));
  it.each([
    [{ "expires_after[anchor]": "created_at", "expires_after[seconds]": "4545" }, 4545],
    [{ expires_after: '{"anchor":"created_at","seconds":3600}' }, 3600],
    [{ expires_after: '{"anchor":"created_at","seconds":"2592000"}' }, 2592000],
  ])("reads %j", (form, seconds) => {
    expect(parseExpiresAfter(fields(form))).toEqual({ anchor: "created_at", seconds });
  });
  it.each([
    [{}],
    [{ "expires_after[anchor]": "now", "expires_after[seconds]": "4545" }],
    [{ "expires_after[anchor]": "created_at", "expires_after[seconds]": "3599" }],
    [{ "expires_after[anchor]": "created_at", "expires_after[seconds]": "2592001" }],
    [{ "expires_after[anchor]": "created_at", "expires_after[seconds]": "many" }],
    [{ expires_after: "not json" }],
    [{ expires_after: '{"anchor":"created_at","seconds":4000.5}' }],
  ])("ignores invalid %j like upstream", (form) => {
    expect(parseExpiresAfter(fields(form as Record<string, string>))).toBeUndefined();
  });
});
