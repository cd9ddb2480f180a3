/** The upstream recordings a setup could hit: per API folder, made with the setup's providers. */
import { join } from "node:path";
import { isModelListPath, listRecordingFiles, readRecording, type InferenceRequestRecord } from "@llama-stack-tests/recording";

export interface AvailableRecording {
  rel: string;
  folder: string;
  testId: string | null;
  endpoint: string;
}

export interface RecordingCatalog {
  /** Per API folder: HTTP recordings in the run's scope, model lists excluded. */
  available: Map<string, AvailableRecording[]>;
  /** Every test id that has any recording in the tree (any provider): tells "never recorded" from "recorded differently". */
  recordedTests: Set<string>;
  /** Endpoint of each HTTP recording, by relative path (to compare a miss with its closest recording). */
  endpointOf: Map<string, string>;
}

/** Which recordings a run could reproduce: its providers, its models, its test files. */
export interface RunScope {
  /** Base URLs (as recorded) of the setup's providers, e.g. http://0.0.0.0:11434/v1. */
  providerBases: readonly string[];
  /** Provider model ids the run uses (llama3.2:3b-instruct-fp16); requests without a model always count. */
  modelIds: readonly string[];
  /** Test file stems the suite is limited to (e.g. test_vision_inference); empty = every file. */
  testFiles?: readonly string[];
}

function inScope(request: InferenceRequestRecord, testId: string | null, scope: RunScope): boolean {
  if (isModelListPath(request.endpoint) || !scope.providerBases.some((b) => request.url.startsWith(b))) return false;
  if (request.model && !scope.modelIds.includes(request.model)) return false;
  const files = scope.testFiles ?? [];
  return files.length === 0 || (testId !== null && files.some((f) => testId.includes(`/${f}.py::`)));
}

export function catalogRecordings(recordingsDir: string, scope: RunScope): RecordingCatalog {
  const available = new Map<string, AvailableRecording[]>();
  const recordedTests = new Set<string>();
  const endpointOf = new Map<string, string>();
  for (const loc of listRecordingFiles(recordingsDir)) {
    let rec;
    try {
      rec = readRecording(join(recordingsDir, loc.rel));
    } catch {
      continue; // unreadable files are `recordings verify`'s business
    }
    if (rec.test_id) recordedTests.add(rec.test_id);
    if (!("url" in rec.request)) continue;
    const request = rec.request as InferenceRequestRecord;
    endpointOf.set(loc.rel, request.endpoint);
    if (!inScope(request, rec.test_id, scope)) continue;
    const list = available.get(loc.folder) ?? [];
    list.push({ rel: loc.rel, folder: loc.folder, testId: rec.test_id, endpoint: request.endpoint });
    available.set(loc.folder, list);
  }
  return { available, recordedTests, endpointOf };
}
