#!/usr/bin/env node
// Share of the real server's provider requests that are byte-identical to the embedded stack's for the
// same test id: after a real-server run (the record log already turned into reports/<api>/provider-traffic.ndjson
// by the CLI), every distinct request hash is looked up among the recordings of REV, a commit whose
// recordings/ holds only what the embedded stack recorded. Prints totals, per API, then each new request.
//
//   node scripts/real-server-hash-share.mjs --rev=<commit> [--apis=a,b,...]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

let values;
try {
  values = parseArgs({ options: { rev: { type: "string" }, apis: { type: "string" } } }).values;
} catch (e) {
  console.error(`real-server-hash-share: ${e.message}`);
  process.exit(2);
}
if (!values.rev) {
  console.error("real-server-hash-share: --rev=<commit whose recordings/ the embedded stack made> is required");
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const names = execFileSync("git", ["ls-tree", "-r", "--name-only", values.rev, "--", "recordings"], { cwd: root, encoding: "utf8" });
// <hash>.json, or models-<hash>-<digest>.json for model lists.
const known = new Set(names.split("\n").map((n) => /(?:models-)?([0-9a-f]{64})(?:-[0-9a-f]+)?\.json$/.exec(n)?.[1]).filter(Boolean));

const reports = path.join(root, "reports");
const apis = values.apis ? values.apis.split(",") : fs.readdirSync(reports).filter((d) => fs.existsSync(path.join(reports, d, "provider-traffic.ndjson")));
const requests = new Map();
for (const api of apis) {
  const file = path.join(reports, api, "provider-traffic.ndjson");
  if (!fs.existsSync(file)) continue;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (e.source !== "server-record-log") continue; // a proxy's log: not a real-server run
    requests.set(e.hash, { api, testId: e.test_id, endpoint: e.endpoint });
  }
}
if (requests.size === 0) {
  console.error("real-server-hash-share: no real-server traffic in reports/: run a suite with --stack-config=server:stacks/run.yaml first");
  process.exit(2);
}
const per = new Map();
const fresh = [];
for (const [hash, r] of requests) {
  const entry = per.get(r.api) ?? { total: 0, identical: 0 };
  entry.total++;
  if (known.has(hash)) entry.identical++;
  else fresh.push(`${r.testId}\t${r.endpoint}\t${hash}`);
  per.set(r.api, entry);
}
const identical = requests.size - fresh.length;
console.log(`real-server provider requests: ${requests.size} distinct; identical to an embedded-stack recording: ${identical} (${((100 * identical) / requests.size).toFixed(1)}%); new: ${fresh.length}`);
for (const [api, e] of [...per].sort()) console.log(`  ${api.padEnd(16)} ${e.identical} / ${e.total} identical`);
console.log("new requests (test id, endpoint, hash):");
for (const f of fresh) console.log(`  ${f}`);
