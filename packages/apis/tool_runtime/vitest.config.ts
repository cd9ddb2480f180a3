import { defineApiConfig } from "@llama-stack-tests/stack/vitest-config";

// test_mcp and test_registration both register the toolgroup "mcp::localmcp" (as upstream does):
// files run one after another so neither sees the other's registration.
export default defineApiConfig({ api: "tool_runtime", fileParallelism: false });
