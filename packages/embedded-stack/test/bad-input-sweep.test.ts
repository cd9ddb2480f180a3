/**
 * Client mistakes never cost a 5xx or a hang: malformed path parameters, query strings and bodies are
 * swept over every route the stack serves (read from /v1/inspect/routes), against both made-up ids and
 * the ids of resources that exist, and every answer must be a 4xx (or a 2xx where the input happens to
 * be acceptable) in upstream's error envelope, within the per-request deadline. The sweep is bounded:
 * a fixed set of inputs per route.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startHarness, type Harness } from "./server-harness.js";
import { BAD_BODIES, BAD_PATH_VALUES, BAD_QUERIES, type RawRequest } from "./bad-inputs.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

interface Route {
  route: string;
  method: string;
}

/** A hang is a request not answered within this long: far beyond any answer the stack gives (not a speed check). */
const HANG_MS = 15_000;

interface Outcome {
  request: string;
  status: number | "hang" | "connection error";
  body: string;
}

async function send(base: string, req: RawRequest): Promise<Outcome> {
  const label = `${req.method} ${req.path}${req.contentType ? ` [${req.contentType}]` : ""} ${typeof req.body === "string" ? req.body.slice(0, 80) : req.body ? `<${req.body.length} bytes>` : ""}`;
  try {
    const res = await fetch(`${base}${req.path}`, {
      method: req.method,
      headers: req.contentType ? { "content-type": req.contentType } : {},
      body: req.body,
      signal: AbortSignal.timeout(HANG_MS),
    });
    return { request: label, status: res.status, body: (await res.text()).slice(0, 300) };
  } catch (err) {
    const name = (err as Error).name;
    return { request: label, status: name === "TimeoutError" ? "hang" : "connection error", body: String((err as Error).message) };
  }
}

/** Path templates filled with `value` for every parameter. */
function fill(template: string, value: string): string {
  return template.replace(/\{\w+(:path)?\}/g, value);
}

/** Ids of resources that exist, so the sweep also reaches the code past the lookup. */
async function realIds(base: string): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const form = new FormData();
  form.append("purpose", "assistants");
  form.append("file", new Blob(["hello world"], { type: "text/plain" }), "hello.txt");
  const file = (await (await fetch(`${base}/v1/files`, { method: "POST", body: form })).json()) as { id: string };
  ids.file_id = file.id;
  const store = (await (await postJson(`${base}/v1/vector_stores`, { name: "sweep" })).json()) as { id: string };
  ids.vector_store_id = store.id;
  const conversation = (await (await postJson(`${base}/v1/conversations`, {})).json()) as { id: string };
  ids.conversation_id = conversation.id;
  const prompt = (await (await postJson(`${base}/v1/prompts`, { prompt: "Hi {{ name }}", variables: ["name"] })).json()) as { prompt_id: string };
  ids.prompt_id = prompt.prompt_id;
  return ids;
}

function fillReal(template: string, ids: Record<string, string>): string | null {
  let missing = false;
  const path = template.replace(/\{(\w+)(:path)?\}/g, (_m, name: string) => {
    const id = ids[name] ?? (name === "model_id" ? "llama-cpp/tiny-random-llama" : undefined);
    if (id === undefined) missing = true;
    return id ?? "";
  });
  return missing ? null : path;
}

describe("bad input over every route", () => {
  it("answers every malformed request with a 4xx in upstream's envelope, none hangs", async () => {
    const listed = (await (await fetch(`${h.url}/v1/inspect/routes`)).json()) as { data: Route[] };
    const deprecated = (await (await fetch(`${h.url}/v1/inspect/routes?api_filter=deprecated`)).json()) as { data: Route[] };
    const routes = [...listed.data, ...deprecated.data];
    expect(routes.length).toBeGreaterThan(50);
    const ids = await realIds(h.url);

    const requests: RawRequest[] = [];
    for (const r of routes) {
      const paths = new Set<string>();
      const real = fillReal(r.route, ids);
      if (real) paths.add(real);
      for (const v of BAD_PATH_VALUES) requests.push({ method: r.method, path: fill(r.route, v) });
      if (!r.route.includes("{")) paths.add(r.route);
      if (paths.size === 0) paths.add(fill(r.route, "does-not-exist"));
      for (const path of paths) {
        for (const q of BAD_QUERIES) requests.push({ method: r.method, path: `${path}?${q}` });
        if (r.method === "POST") for (const b of BAD_BODIES) requests.push({ method: r.method, path, ...b });
      }
    }
    // Bounded: a fixed number of inputs per route.
    expect(requests.length).toBeLessThan(routes.length * (BAD_PATH_VALUES.length + 2 * (BAD_QUERIES.length + BAD_BODIES.length)) + 1);

    const outcomes: Outcome[] = [];
    const queue = [...requests];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let req = queue.shift(); req; req = queue.shift()) outcomes.push(await send(h.url, req));
      }),
    );
    // 501 is upstream's answer for a feature it declares unimplemented (e.g. `include` on input items), not a failure.
    const declaredGap = (o: Outcome) => o.status === 501 && o.body.includes('"Not implemented: ');
    const bad = outcomes.filter((o) => typeof o.status !== "number" || (o.status >= 500 && !declaredGap(o)));
    expect(bad, `${bad.length} of ${outcomes.length} requests got a 5xx or no answer`).toEqual([]);
    const unwrapped = outcomes.filter((o) => typeof o.status === "number" && o.status >= 400 && !/^\{"(error":\{")?detail"/.test(o.body));
    expect(unwrapped, "error bodies outside upstream's envelope").toEqual([]);
    // The stack is still serving.
    expect((await fetch(`${h.url}/v1/health`)).status).toBe(200);
  }, 600_000);
});
