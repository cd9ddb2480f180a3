import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { conversationItemSchema } from "../src/apis/conversations/items.js";
import { ConversationsService } from "../src/apis/conversations/service.js";

let db: Database.Database;
let clock: number;
let svc: ConversationsService;

const item = (text: string) => conversationItemSchema.parse({ type: "message", role: "user", content: [{ type: "input_text", text }] });

beforeEach(() => {
  db = new Database(":memory:");
  clock = 1_700_000_000;
  svc = new ConversationsService({ db, now: () => clock });
});
afterEach(() => db.close());

describe("conversation items schema", () => {
  it("dumps messages with upstream's null fields and drops unknown keys", () => {
    expect(conversationItemSchema.parse({ type: "message", role: "user", content: "Hi", extra: 1 })).toEqual({
      content: "Hi",
      role: "user",
      type: "message",
      id: null,
      status: null,
    });
    const out = conversationItemSchema.parse({
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "ok" }],
    });
    expect(out).toMatchObject({ content: [{ text: "ok", type: "output_text", annotations: [] }] });
  });

  it("rejects items without a known type", () => {
    expect(conversationItemSchema.safeParse({ role: "user", content: "x" }).success).toBe(false);
    expect(conversationItemSchema.safeParse({ type: "message", role: "robot", content: "x" }).success).toBe(false);
  });
});

describe("ConversationsService", () => {
  it("creates conv_ ids of 48 hex chars and msg_ item ids", () => {
    const conv = svc.create([item("hello")], { topic: "demo" });
    expect(conv).toMatchObject({ object: "conversation", metadata: { topic: "demo" }, items: null, created_at: clock });
    expect(conv.id).toMatch(/^conv_[0-9a-f]{48}$/);
    const listed = svc.listItems(conv.id);
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]?.id).toMatch(/^msg_[0-9a-f]{48}$/);
  });

  it("updates metadata, deletes, and reports missing conversations as invalid values", () => {
    const conv = svc.create(null, null);
    expect(svc.update(conv.id, { a: "b" }).metadata).toEqual({ a: "b" });
    expect(svc.delete(conv.id)).toEqual({ id: conv.id, object: "conversation.deleted", deleted: true });
    expect(() => svc.get(conv.id)).toThrow(`Invalid value: Conversation ${conv.id} not found`);
    expect(() => svc.addItems("bad", [])).toThrow(
      "Invalid value: Invalid 'conversation_id': 'bad'. Expected an ID that begins with 'conv_'.",
    );
  });

  it("pages items with after/limit/order and reports first/last/has_more", () => {
    const conv = svc.create(null, null);
    const added = svc.addItems(conv.id, [item("1"), item("2"), item("3")]);
    const ids = added.data.map((i) => i.id);
    expect(added.first_id).toBe(ids[0]);
    expect(added.last_id).toBe(ids[2]);
    const desc = svc.listItems(conv.id, { limit: 2 });
    expect(desc.data.map((i) => i.id)).toEqual([ids[2], ids[1]]);
    expect(desc.has_more).toBe(true);
    const rest = svc.listItems(conv.id, { limit: 2, after: desc.last_id ?? undefined });
    expect(rest.data.map((i) => i.id)).toEqual([ids[0]]);
    expect(rest.has_more).toBe(false);
    expect(svc.listItems(conv.id, { order: "asc" }).data.map((i) => i.id)).toEqual(ids);
  });

  it("retrieves and deletes single items", () => {
    const conv = svc.create(null, null);
    const [first] = svc.addItems(conv.id, [item("x")]).data;
    const id = first?.id as string;
    expect(svc.retrieveItem(conv.id, id)).toEqual(first);
    expect(svc.deleteItem(conv.id, id)).toEqual({ id, object: "conversation.item.deleted", deleted: true });
    expect(() => svc.retrieveItem(conv.id, id)).toThrow(`Invalid value: Item ${id} not found in conversation ${conv.id}`);
  });
});
