/** Locations used by tests: the upstream reference data lives beside the repository. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const UPSTREAM_INTEGRATION = join(REPO_ROOT, "../shared/llama-stack-upstream/tests/integration");
export const HAVE_UPSTREAM = existsSync(UPSTREAM_INTEGRATION);
export const NO_UPSTREAM_REASON = `upstream reference data not found at ${UPSTREAM_INTEGRATION} (expected ../shared/llama-stack-upstream beside the repository)`;
/** Upstream's newest tree (after the rename to ogx), written by the newest recorder. */
export const OGX_HEAD_INTEGRATION = join(REPO_ROOT, "../shared/ogx-upstream-head/tests/integration");
export const HAVE_OGX_HEAD = existsSync(OGX_HEAD_INTEGRATION);
export const NO_OGX_HEAD_REASON = `upstream's newest recordings not found at ${OGX_HEAD_INTEGRATION} (expected ../shared/ogx-upstream-head beside the repository)`;
