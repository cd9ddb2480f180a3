import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts", "src/bench.ts", "src/guard-grammar.ts", "src/convert-embedding-model.ts"],
  format: ["esm"],
  clean: true,
  sourcemap: true,
  target: "node20",
});
