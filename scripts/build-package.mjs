#!/usr/bin/env node
// Builds the workspace package in the current directory with esbuild, as tsup did (ESM for Node 20,
// code splitting, source maps, dependencies and peerDependencies left external) at about a quarter
// of tsup's start-up cost: every test run waits for these builds. No type declarations: the
// packages' `types` are their sources.
// Usage: node ../../scripts/build-package.mjs [--out-dir=dist] [--external=a,b] ENTRY...
//   ENTRY: src/file.ts (output named after the file) or name=src/file.ts. The output dir is emptied first.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const USAGE = "usage: build-package.mjs [--out-dir=dist] [--external=a,b] ENTRY... (ENTRY: src/file.ts or name=src/file.ts)";

function fail(message) {
  console.error(`build-package: ${message}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      "out-dir": { type: "string", default: "dist" },
      external: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (e) {
  fail(`${e.message}\n${USAGE}`);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length === 0) fail(`no entry given\n${USAGE}`);

const entryPoints = {};
for (const entry of positionals) {
  const eq = entry.indexOf("=");
  const [name, file] = eq < 0 ? [path.basename(entry).replace(/\.[cm]?tsx?$/, ""), entry] : [entry.slice(0, eq), entry.slice(eq + 1)];
  if (!fs.existsSync(file)) fail(`entry ${file} does not exist in ${process.cwd()}`);
  if (entryPoints[name]) fail(`two entries named ${name}: name one of them (name=${file})`);
  entryPoints[name] = file;
}

const manifest = JSON.parse(fs.readFileSync("package.json", "utf8"));
const externalNames = [
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.peerDependencies ?? {}),
  ...values.external.flatMap((list) => list.split(",")).filter(Boolean),
];
const outdir = values["out-dir"];
fs.rmSync(outdir, { recursive: true, force: true });

try {
  await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    // A package and its subpaths (openai/resources/...) stay imports, resolved from node_modules at run time.
    external: externalNames.flatMap((name) => [name, `${name}/*`]),
    logLevel: "error",
  });
} catch {
  // esbuild has printed the errors (file:line) already.
  fail(`${manifest.name}: build failed`);
}
