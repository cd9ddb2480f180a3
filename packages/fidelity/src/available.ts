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
  /** Per API folder: HTTP recordings whose URL starts with one of the setup's provider bases, model lists excluded. */
  available: Map<string, AvailableRecording[]>;
  /** Every test id that has any recording in the tree (any provider): tells "never recorded" from "recorded differently". */
  recordedTests: Set<string>;
  /** Endpoint of each HTTP recording, by relative path (to compare a miss with its closest recording). */
  endpointOf: Map<string, string>;
}

export function catalogRecordings(recordingsDir: string, providerBases: readonly string[]): RecordingCatalog {
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
    if (isModelListPath(request.endpoint) || !providerBases.some((b) => request.url.startsWith(b))) continue;
    const list = available.get(loc.folder) ?? [];
    list.push({ rel: loc.rel, folder: loc.folder, testId: rec.test_id, endpoint: request.endpoint });
    available.set(loc.folder, list);
  }
  return { available, recordedTests, endpointOf };
}
