import { defineApiConfig } from "@llama-stack-tests/stack/vitest-config";

// Both test files delete every vector store and file around each case (upstream's fixtures), so
// they must not run at the same time against the one stack.
export default defineApiConfig({ api: "vector_io", fileParallelism: false });
