import type { Setup, SetupDefaults } from "./types.js";

/**
 * Applies a setup's env where the variable is unset (upstream's pytest_configure rule: the
 * caller's environment always wins). Returns the keys it set.
 */
export function applySetupEnv(setup: Setup, env: NodeJS.ProcessEnv): string[] {
  const applied: string[] = [];
  for (const [key, value] of Object.entries(setup.env)) {
    if (env[key] === undefined) {
      env[key] = value;
      applied.push(key);
    }
  }
  return applied;
}

/** Explicit values win; the setup's defaults fill only what is unset. */
export function withSetupDefaults(setup: Setup, explicit: SetupDefaults): SetupDefaults {
  const merged: SetupDefaults = { ...setup.defaults };
  for (const [key, value] of Object.entries(explicit) as [keyof SetupDefaults, SetupDefaults[keyof SetupDefaults]][]) {
    if (value !== undefined && value !== "") (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
