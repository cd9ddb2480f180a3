/** Locations used by tests: the upstream reference data lives beside the repository. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const UPSTREAM_INTEGRATION = join(REPO_ROOT, "../shared/llama-stack-upstream/tests/integration");
export const HAVE_UPSTREAM = existsSync(UPSTREAM_INTEGRATION);
export const NO_UPSTREAM_REASON = `upstream reference data not found at ${UPSTREAM_INTEGRATION} (expected ../shared/llama-stack-upstream beside the repository)`;
