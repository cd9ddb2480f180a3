import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real servers and processes on a 2-core machine that turbo shares with the other packages'
    // tests: vitest's 5 s default is too tight a deadline under that load (not a speed assertion).
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
