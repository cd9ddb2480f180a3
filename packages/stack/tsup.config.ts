import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "vitest-config": "src/vitest-config.ts",
    "global-setup": "src/global-setup.ts",
    "worker-orphan-guard": "src/worker-orphan-guard.ts",
    lifecycle: "src/lifecycle/index.ts",
    cli: "src/cli.ts",
  },
  format: ["esm"],
  clean: true,
  sourcemap: true,
  target: "node20",
  // Resolved at run time from the API packages' own installs.
  external: ["vitest", "llama-stack-client", "openai"],
});
