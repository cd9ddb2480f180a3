import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTrafficLog, startRecordingProxy, TEST_ID_HEADER, type RecordingProxy } from "../src/index.js";
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

function chat(p: RecordingProxy, content: string) {
  return fetch(`${p.url}/llama-cpp/v1/chat/completions`, {
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

  it("reads a missing log as no traffic", () => {
    expect(readTrafficLog(join(dir, "absent.ndjson"))).toEqual([]);
  });
});
