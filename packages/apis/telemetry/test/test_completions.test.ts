import { upstreamTest } from "@llama-stack-tests/stack";

const FILE = "tests/integration/telemetry/test_completions.py";
const TEXT = ["text_model_id"] as const;

/**
 * Upstream skips both tests at their first line, with this reason: they assert the span format of the
 * telemetry 7da733091a removed. What that commit's telemetry does emit is asserted in span-table.test.ts.
 */
const DISABLED_UPSTREAM = "Disabled: See https://github.com/llamastack/llama-stack/issues/4089";

upstreamTest({ file: FILE, name: "test_streaming_chunk_count", models: TEXT }, (t) => {
  t.skip(DISABLED_UPSTREAM);
});

upstreamTest({ file: FILE, name: "test_telemetry_format_completeness", models: TEXT }, (t) => {
  t.skip(DISABLED_UPSTREAM);
});
