import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The programmatic-run test starts a nested vitest; give it room on slow machines.
    testTimeout: 60_000,
  },
});
