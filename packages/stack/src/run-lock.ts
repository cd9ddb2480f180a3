import fs from "node:fs";
import path from "node:path";
import { StackStartError } from "./errors.js";
import { processAlive } from "./lifecycle/process-group.js";

/**
 * Holds `<dir>/.run.lock` (this process's pid) while a run writes the files in `dir`, so two runs in
 * one checkout never interleave one API's traffic log or report. A lock whose process is gone is
 * taken over. Returns the release function (also run at exit).
 */
export function acquireRunLock(dir: string, what: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, ".run.lock");
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = Number(fs.readFileSync(file, "utf8").trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
      throw new StackStartError(
        `Another run (pid ${holder}) is writing ${what} in this checkout (${file}). Wait for it to finish or stop it; ` +
          "two runs in one checkout would mix their reports and traffic logs.",
      );
    }
    fs.rmSync(file, { force: true }); // its run is gone
  }
  const release = () => {
    process.off("exit", release);
    try {
      if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.on("exit", release);
  return release;
}
