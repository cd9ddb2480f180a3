import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The programmatic-run test starts a nested vitest; give it room on slow machines.
    testTimeout: 60_000,
    // Its beforeAll runs that nested vitest: the 10 s default failed `pnpm test` on a loaded machine.
    hookTimeout: 60_000,
  },
});
