export * from "./model.js";
export { ParityError } from "./errors.js";
export { takeSnapshot, readJson, writeJsonAtomic, type SnapshotInput } from "./snapshot.js";
export { compareRuns, validateClassifications } from "./compare.js";
export { renderParityMarkdown, formatParitySummary } from "./render.js";
export { buildMatrix, renderMatrixMarkdown, renderMatrixHtml, formatMatrixSummary, type VersionMatrix, type MatrixRow } from "./matrix.js";
export { baselineOf, checkBaseline, type BaselineCheck, type OutcomeBaseline } from "./baseline.js";
