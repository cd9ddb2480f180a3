import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { readTrafficLog, startRecordingProxy, TAG_PREFIX, TEST_ID_HEADER, type RecordingProxy } from "../src/index.js";
import { startFakeProvider, type FakeProvider } from "./upstream.js";

const TEST_ID = "tests/integration/inference/test_openai_completion.py::test_chat[txt=llama-cpp/tiny]";
const route = (target: string) => [{ name: "llama-cpp", target, recordedBase: "http://127.0.0.1:8080/v1" }];
let provider: FakeProvider;
let dir: string;

beforeAll(async () => {
  provider = await startFakeProvider();
  dir = mkdtempSync(join(tmpdir(), "rec-traffic-"));
});
afterAll(async () => {
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

function chat(p: RecordingProxy, content: string, tag = "") {
  return fetch(`${p.url}${tag ? `/${TAG_PREFIX}${tag}` : ""}/llama-cpp/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", [TEST_ID_HEADER]: TEST_ID },
    body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content }] }),
  });
}

describe("traffic log", () => {
  it("says per request whether it was recorded, hit or missed, with the closest recording of the test", async () => {
    const recordingsDir = join(dir, "recordings");
    const recordLog = join(dir, "record.ndjson");
    const replayLog = join(dir, "replay.ndjson");
    const recorder = await startRecordingProxy({ mode: "record", recordingsDir, providers: route(provider.url), trafficLogPath: recordLog });
    await (await chat(recorder, "hello")).text();
    await recorder.close();

    const replayer = await startRecordingProxy({ mode: "replay", recordingsDir, providers: route(provider.url), trafficLogPath: replayLog });
    expect((await chat(replayer, "hello")).status).toBe(200);
    expect((await chat(replayer, "goodbye")).status).toBe(500);
    await replayer.close();

    expect(readTrafficLog(recordLog).map((e) => e.outcome)).toEqual(["recorded"]);
    const [hit, miss] = readTrafficLog(replayLog);
    expect(hit).toMatchObject({ outcome: "hit", test_id: TEST_ID, endpoint: "/v1/chat/completions", model: "tiny", recording: expect.stringMatching(/^inference\/[0-9a-f]{64}\.json$/) });
    expect(miss).toMatchObject({ outcome: "miss", test_id: TEST_ID, closest: { file: hit!.recording } });
    expect(miss!.closest!.diff).toEqual(['body.messages[0].content: recorded "hello" → requested "goodbye"']);
  });

  it("logs a tagged request to its tag's log, appending, and leaves the untagged log to untagged requests", async () => {
    const recordingsDir = join(dir, "tagged-recordings");
    const recorder = await startRecordingProxy({ mode: "record", recordingsDir, providers: route(provider.url) });
    await (await chat(recorder, "hello")).text();
    await recorder.close();

    const own = join(dir, "own.ndjson");
    const logOf = (tag: string) => join(dir, `tag-${tag}.ndjson`);
    // A tag's log belongs to its client, which empties it when it starts: the proxy only appends.
    writeFileSync(logOf("files"), `${JSON.stringify({ outcome: "hit", test_id: "earlier" })}\n`);
    const replayer = await startRecordingProxy({ mode: "replay", recordingsDir, providers: route(provider.url), trafficLogPath: own, trafficLogPathFor: logOf });
    expect((await chat(replayer, "hello", "inference")).status).toBe(200);
    expect((await chat(replayer, "goodbye", "files")).status).toBe(500);
    expect((await chat(replayer, "hello")).status).toBe(200);
    const bad = await fetch(`${replayer.url}/${TAG_PREFIX}a%2Fb/llama-cpp/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("invalid_tag");
    await replayer.close();

    expect(readTrafficLog(logOf("inference")).map((e) => e.outcome)).toEqual(["hit"]);
    expect(readTrafficLog(logOf("files")).map((e) => [e.test_id, e.outcome])).toEqual([["earlier", "hit"], [TEST_ID, "miss"]]);
    expect(readTrafficLog(own).map((e) => e.outcome)).toEqual(["hit"]);
  });

  it("reads a missing log as no traffic", () => {
    expect(readTrafficLog(join(dir, "absent.ndjson"))).toEqual([]);
  });
});
