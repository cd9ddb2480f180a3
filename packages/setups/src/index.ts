export type { Capability, Setup, SetupDefaults, Suite } from "./types.js";
export { CAPABILITIES } from "./types.js";
export { SETUPS, SETUP_NAMES, PROJECT_SETUPS, getSetup, UnknownSetupError } from "./setups.js";
export { applySetupEnv, withSetupDefaults } from "./apply.js";
export { SUITES_FILE, SuitesError, findRepoRoot, parseSuites, loadSuites, getSuite } from "./suites.js";
export { UPSTREAM_DIR_ENV, upstreamDir } from "./upstream-dir.js";
