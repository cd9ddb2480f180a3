import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/vitest-config.ts", "src/global-setup.ts", "src/cli.ts"],
  format: ["esm"],
  dts: { entry: ["src/index.ts", "src/vitest-config.ts", "src/global-setup.ts"] },
  clean: true,
  sourcemap: true,
  target: "node20",
  // Resolved at run time from the API packages' own installs.
  external: ["vitest", "llama-stack-client", "openai"],
});
