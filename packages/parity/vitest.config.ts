import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The matrix CLI runs as a child process on a 2-core machine turbo shares with the other packages'
    // tests, where vitest's 5 s default is no safe deadline: a deadline, not a speed check.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
