import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests that run git, bash scripts and CLIs as child processes on a 2-core machine turbo shares with the
    // other packages' tests took up to 2.9 s there, too close to vitest's 5 s default: a deadline, not a speed check.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
