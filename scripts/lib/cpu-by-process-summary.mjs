// Sums the lines scripts/lib/cpu-by-process.cjs wrote by kind of process and prints the largest.
// Usage: node scripts/lib/cpu-by-process-summary.mjs LOG
import fs from "node:fs";

const KINDS = [
  ["vitest worker", /tinypool|vitest\/dist\/workers/],
  ["vitest main", /vitest\.mjs/],
  ["embedded stack (pool, instrumented stacks)", /embedded-stack\/dist\/cli\.js/],
  ["builds", /build-package\.mjs/],
  ["llama.cpp binary test", /node-llama-cpp/],
  ["suite CLI (proxy, broker)", /stack\/dist\/cli\.js/],
  ["report CLI", /report\/dist\/cli\.js/],
];

const file = process.argv[2];
if (!file) {
  console.error("usage: cpu-by-process-summary.mjs LOG");
  process.exit(2);
}
const totals = new Map();
let all = 0;
for (const line of fs.readFileSync(file, "utf8").split("\n")) {
  if (!line) continue;
  const { cpu, argv } = JSON.parse(line);
  const kind = KINDS.find(([, re]) => re.test(argv))?.[0] ?? "other";
  const t = totals.get(kind) ?? { cpu: 0, n: 0 };
  totals.set(kind, { cpu: t.cpu + cpu, n: t.n + 1 });
  all += cpu;
}
const rows = [...totals].sort((a, b) => b[1].cpu - a[1].cpu).map(([kind, t]) => `${kind} ${t.cpu.toFixed(1)} s (${t.n} processes)`);
console.log(`  CPU by process (Node processes, ${all.toFixed(1)} s): ${rows.join(", ")}`);
