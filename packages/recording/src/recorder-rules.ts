/**
 * Upstream's recorder changed its hash rules between releases; a recordings tree written by one
 * release only names its files by that release's rules. Each rule set is named by the first
 * upstream release that hashed that way; every rule is one flag so a rule set reads as a row.
 */

export const RECORDER_VERSIONS = ["0.2", "0.4", "0.5", "0.6", "0.7", "0.8"] as const;
export type RecorderVersion = (typeof RECORDER_VERSIONS)[number];

/** The recorder the ports follow (upstream commit 7da733091a, released in 0.4.0). */
export const DEFAULT_RECORDER: RecorderVersion = "0.4";

export interface RecorderRules {
  version: RecorderVersion;
  /** What the rule set adds over the previous one, for `recordings verify` and the README. */
  adds: string;
  /** Floats rounded to 5 places and long decimal literals inside strings rounded (0.3+). */
  roundsNumbers: boolean;
  /** Endpoints whose hash leaves out the test id (shared model lists). */
  modelListPaths: readonly string[];
  /** `stream_options` left out of the hash when the provider's host contains "bedrock" (0.5+). */
  bedrockDropsStreamOptions: boolean;
  /** Raw HTTP recordings ({url, method, payload}: rerank, later Messages/Interactions passthrough) (0.6+). */
  httpRecordings: boolean;
  /** `project_id` removed from `extra_body`/`extra_query` (0.7+). */
  stripsProjectId: boolean;
  /** file_search tool output's score, attributes, document ids and citations as placeholders (0.8+). */
  fileSearchPlaceholders: boolean;
  /** File-processor recordings ({api: "file_processors", file_id}), written during 0.8's development. */
  fileProcessorRecordings: boolean;
}

const LEGACY_MODEL_LISTS = ["/api/tags", "/v1/models"] as const;
const MODEL_LISTS = ["/api/tags", "/v1/models", "/v1/openai/v1/models"] as const;

const RULES: Readonly<Record<RecorderVersion, RecorderRules>> = {
  "0.2": {
    version: "0.2", adds: "the request body hashed as sent", roundsNumbers: false, modelListPaths: LEGACY_MODEL_LISTS,
    bedrockDropsStreamOptions: false, httpRecordings: false, stripsProjectId: false, fileSearchPlaceholders: false, fileProcessorRecordings: false,
  },
  "0.4": {
    version: "0.4", adds: "floats rounded to 5 places, long decimals in strings rounded; /v1/openai/v1/models is a model list",
    roundsNumbers: true, modelListPaths: MODEL_LISTS,
    bedrockDropsStreamOptions: false, httpRecordings: false, stripsProjectId: false, fileSearchPlaceholders: false, fileProcessorRecordings: false,
  },
  "0.5": {
    version: "0.5", adds: "stream_options left out for Bedrock", roundsNumbers: true, modelListPaths: MODEL_LISTS,
    bedrockDropsStreamOptions: true, httpRecordings: false, stripsProjectId: false, fileSearchPlaceholders: false, fileProcessorRecordings: false,
  },
  "0.6": {
    version: "0.6", adds: "raw HTTP recordings (url, method, payload)", roundsNumbers: true, modelListPaths: MODEL_LISTS,
    bedrockDropsStreamOptions: true, httpRecordings: true, stripsProjectId: false, fileSearchPlaceholders: false, fileProcessorRecordings: false,
  },
  "0.7": {
    version: "0.7", adds: "project_id stripped from extra_body/extra_query", roundsNumbers: true, modelListPaths: MODEL_LISTS,
    bedrockDropsStreamOptions: true, httpRecordings: true, stripsProjectId: true, fileSearchPlaceholders: false, fileProcessorRecordings: false,
  },
  "0.8": {
    version: "0.8", adds: "file_search output placeholders (score, attributes, document ids, citations); file_processors recordings",
    roundsNumbers: true, modelListPaths: MODEL_LISTS,
    bedrockDropsStreamOptions: true, httpRecordings: true, stripsProjectId: true, fileSearchPlaceholders: true, fileProcessorRecordings: true,
  },
};

/** Names accepted besides the versions: the newest rules (ogx 1.x still hashes as 0.8 did). */
const ALIASES: Readonly<Record<string, RecorderVersion>> = { latest: "0.8", "1": "0.8", "1.x": "0.8", "7da733091a": "0.4" };

export class UnknownRecorderError extends Error {
  constructor(name: string) {
    super(`unknown recorder "${name}": use one of ${RECORDER_VERSIONS.join(", ")} (or ${Object.keys(ALIASES).join(", ")})`);
    this.name = "UnknownRecorderError";
  }
}

/** The rule set for a version name such as "0.7", "0.7.3", "latest" or "1.5.0". */
export function recorderRules(name: string = DEFAULT_RECORDER): RecorderRules {
  const alias = ALIASES[name];
  if (alias) return RULES[alias];
  const m = /^(\d+)\.(\d+)(?:\.[0-9A-Za-z.-]+)?$/.exec(name);
  if (m) {
    const major = Number(m[1]);
    const minor = Number(m[2]);
    // ogx 1.x kept 0.8's rules.
    if (major === 1) return RULES["0.8"];
    // A release between two rule changes hashes as the newest rule set at or before it; rounding
    // arrived late in the 0.2 line, so 0.3 already hashes as 0.4 does.
    const effective = minor === 3 ? 4 : minor;
    const found = [...RECORDER_VERSIONS].reverse().find((v) => Number(v.split(".")[1]) <= effective);
    if (major === 0 && found && minor >= 2) return RULES[found];
  }
  throw new UnknownRecorderError(name);
}

export const DEFAULT_RULES: RecorderRules = RULES[DEFAULT_RECORDER];

export function allRecorderRules(): RecorderRules[] {
  return RECORDER_VERSIONS.map((v) => RULES[v]);
}
