import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RoutesHarness, startRoutesHarness } from "./files-routes-harness.js";

let h: RoutesHarness;
beforeAll(async () => {
  h = await startRoutesHarness();
});
afterAll(async () => {
  await h.close();
});

const message = (text: string) => ({ type: "message", role: "user", content: text });

describe("conversations routes", () => {
  it("creates with items, updates metadata, pages items, deletes items and the conversation", async () => {
    const created = await h.call("POST", "/v1/conversations", { items: [message("first")], metadata: { topic: "t" } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: "conversation", metadata: { topic: "t" }, items: null });
    const id: string = created.body.id;
    expect(id).toMatch(/^conv_[0-9a-f]{48}$/);

    expect((await h.call("POST", `/v1/conversations/${id}`, { metadata: { topic: "u" } })).body.metadata).toEqual({ topic: "u" });
    expect((await h.call("GET", `/v1/conversations/${id}`)).body.metadata).toEqual({ topic: "u" });

    const added = await h.call("POST", `/v1/conversations/${id}/items`, {
      items: [message("second"), { type: "function_call_output", call_id: "c1", output: "42" }],
    });
    expect(added.body.object).toBe("list");
    expect(added.body.data).toHaveLength(2);
    const [msg, out] = added.body.data;
    expect(msg).toEqual({ content: "second", role: "user", type: "message", id: msg.id, status: null });
    expect(msg.id).toMatch(/^msg_/);
    expect(out.id).toMatch(/^item_/);

    const asc = await h.call("GET", `/v1/conversations/${id}/items?order=asc&limit=2`);
    expect(asc.body.data.map((i: { content?: string }) => i.content)).toEqual(["first", "second"]);
    expect(asc.body.has_more).toBe(true);
    const next = await h.call("GET", `/v1/conversations/${id}/items?order=asc&after=${asc.body.last_id}`);
    expect(next.body.data.map((i: { id: string }) => i.id)).toEqual([out.id]);
    expect(next.body.has_more).toBe(false);

    expect((await h.call("GET", `/v1/conversations/${id}/items/${out.id}`)).body).toEqual(out);
    const delItem = await h.call("DELETE", `/v1/conversations/${id}/items/${out.id}`);
    expect(delItem.body).toEqual({ id: out.id, object: "conversation.item.deleted", deleted: true });

    const del = await h.call("DELETE", `/v1/conversations/${id}`);
    expect(del.body).toEqual({ id, object: "conversation.deleted", deleted: true });
    const gone = await h.call("GET", `/v1/conversations/${id}`);
    expect(gone.status).toBe(400);
    expect(gone.body.detail).toBe(`Invalid value: Conversation ${id} not found`);
  });

  it.each<[string, string, string, unknown, unknown]>([
    ["items not a list", "POST", "/v1/conversations", { items: "x" }, {
      errors: [{ loc: ["body", "items"], msg: "Input should be a valid list", type: "list_type" }],
    }],
    ["metadata value not a string", "POST", "/v1/conversations", { metadata: { a: 1 } }, {
      errors: [{ loc: ["body", "metadata", "a"], msg: "Input should be a valid string", type: "string_type" }],
    }],
    ["update without metadata", "POST", "/v1/conversations/conv_x", {}, {
      errors: [{ loc: ["body", "metadata"], msg: "Field required", type: "missing" }],
    }],
    ["add without items", "POST", "/v1/conversations/conv_x/items", {}, {
      errors: [{ loc: ["body", "items"], msg: "Field required", type: "missing" }],
    }],
    ["add to an id without the conv_ prefix", "POST", "/v1/conversations/abc/items", { items: [message("x")] },
      "Invalid value: Invalid 'conversation_id': 'abc'. Expected an ID that begins with 'conv_'."],
    ["add to an unknown conversation", "POST", "/v1/conversations/conv_missing/items", { items: [message("x")] },
      "Invalid value: Conversation conv_missing not found"],
    ["bad list order", "GET", "/v1/conversations/conv_x/items?order=up", undefined, {
      errors: [{ loc: ["query", "order"], msg: "Input should be 'asc' or 'desc'", type: "enum" }],
    }],
    ["list items of unknown conversation", "GET", "/v1/conversations/conv_missing/items", undefined,
      "Invalid value: Conversation conv_missing not found"],
    ["unknown item", "GET", "/v1/conversations/conv_missing/items/msg_x", undefined,
      "Invalid value: Item msg_x not found in conversation conv_missing"],
  ])("rejects %s with 400", async (_name, method, path, body, detail) => {
    const res = await h.call(method, path, body);
    expect(res.status).toBe(400);
    // Validation errors are wrapped on every API; this legacy API answers its own errors plainly.
    expect(res.body).toEqual(typeof detail === "string" ? { detail } : { error: { detail } });
  });
});
