import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fixture package is run by its own vitest child, not collected here.
    exclude: ["test/fixtures/**", "**/node_modules/**"],
    // Real child processes on a 2-core machine shared with the other packages' tests: a deadline, not a speed check.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
