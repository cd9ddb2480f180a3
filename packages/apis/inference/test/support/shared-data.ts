/** Upstream reference data is read at run time from its tree next to the repository, never copied into it. */
export { readUpstreamData, upstreamDataPath } from "@llama-stack-tests/stack";
