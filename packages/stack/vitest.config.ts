import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fixture package is run by its own vitest child, not collected here.
    exclude: ["test/fixtures/**", "**/node_modules/**"],
  },
});
