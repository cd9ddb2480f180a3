import { defineApiConfig } from "@llama-stack-tests/stack/vitest-config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files in name order, as upstream's pytest collects them (test_mcp before test_registration). Vitest's
 * default order (failed first, then by duration) changes from run to run, and Llama Stack 0.4.0 keeps
 * an unregistered toolgroup's tools cached: when test_registration's "mcp::localmcp" (its own MCP
 * server, closed afterwards) comes first, test_mcp's re-registered group invokes the stale endpoint.
 */
class NameOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Code-point order, as pytest sorts ("test_mcp.py" before "test_mcp_json_schema.py").
    return [...files].sort((a, b) => (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0));
  }
}

// test_mcp and test_registration both register the toolgroup "mcp::localmcp" (as upstream does):
// files run one after another so neither sees the other's registration.
export default defineApiConfig({ api: "tool_runtime", fileParallelism: false, sequence: { sequencer: NameOrderSequencer } });
