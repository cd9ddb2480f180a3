export * from "./model.js";
export { classifyMiss, type MissFacts } from "./causes.js";
export { catalogRecordings, type AvailableRecording, type RecordingCatalog, type RunScope } from "./available.js";
export { buildFidelityReport, TRAFFIC_LOG_NAME, type FidelityInput } from "./build.js";
export { BaselineError, baselineOf, compareWithBaseline, readBaseline, writeBaseline, type BaselineVerdict } from "./baseline.js";
export { formatFidelitySummary, renderFidelityMarkdown } from "./render.js";
export { writeFidelityReport } from "./write.js";
export { failureCause, gapsVerdict, knownGapsPath, readKnownGaps, writeKnownGaps, type GapsVerdict } from "./gaps.js";
