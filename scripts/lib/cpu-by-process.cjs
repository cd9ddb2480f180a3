// Preloaded (NODE_OPTIONS=--require) into every Node process of a benchmarked run: appends the
// process's own CPU seconds and what it was to the file BENCH_CPU_LOG names, when it exits or is
// terminated (a test worker ends by SIGTERM). Read by scripts/lib/cpu-by-process-summary.mjs.
const fs = require("node:fs");
const log = process.env.BENCH_CPU_LOG;
if (log) {
  let written = false;
  const record = () => {
    if (written) return;
    written = true;
    const { user, system } = process.cpuUsage();
    const line = JSON.stringify({ cpu: (user + system) / 1e6, cwd: process.cwd(), argv: process.argv.slice(1).join(" ") });
    try {
      fs.appendFileSync(log, `${line}\n`);
    } catch {
      // A benchmark aid: never the reason a process fails.
    }
  };
  process.on("exit", record);
  // Only where nothing else handles SIGTERM: record, then die of it as the process would have.
  process.on("SIGTERM", function onTerm() {
    record();
    if (process.listenerCount("SIGTERM") > 1) return;
    process.removeListener("SIGTERM", onTerm);
    process.kill(process.pid, "SIGTERM");
  });
}
