/** Stands for the supervisor's temp dir in a command's args and env values (see ManagedProcessOptions.tempDir). */
export const TEMP_DIR_TOKEN = "{{SUPERVISED_TEMP_DIR}}";
/** Env of the supervisor: the mkdtemp prefix of the temp dir it owns. */
export const TEMP_DIR_PREFIX_ENV = "LLAMA_STACK_TESTS_SUPERVISED_TEMP_PREFIX";

/**
 * A tiny supervisor run as `node -e SUPERVISOR_SOURCE <command> <args...>`: it leads the process
 * group, runs the command in it, and takes the whole group down when its stdin closes, which
 * happens when the harness dies, even by SIGKILL (when no exit handler can run). It passes the
 * command's exit code on, so start-up failures read the same as without it. Given a temp-dir
 * prefix, it creates the command's temp dir and removes it once the command is gone, however the
 * run ended: the harness creates none that an interrupted start-up could leave behind.
 */
export const SUPERVISOR_SOURCE = `
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const [command, ...rawArgs] = process.argv.slice(1);
const killGroup = (signal) => { try { process.kill(-process.pid, signal); } catch {} };
const prefix = process.env.${TEMP_DIR_PREFIX_ENV};
delete process.env.${TEMP_DIR_PREFIX_ENV};
let tempDir;
if (prefix) {
  fs.mkdirSync(require("node:path").dirname(prefix), { recursive: true });
  tempDir = fs.mkdtempSync(prefix);
}
const fill = (v) => (tempDir ? v.split(${JSON.stringify(TEMP_DIR_TOKEN)}).join(tempDir) : v);
const args = rawArgs.map(fill);
const env = Object.fromEntries(Object.entries(process.env).map(([k, v]) => [k, fill(v)]));
const cleanup = () => { if (tempDir) { try { fs.rmSync(tempDir, { recursive: true, force: true }); } catch {} } };
const leave = (code) => { cleanup(); process.exit(code); };
// SIGTERM is for the command; this process leaves when the command has.
process.on("SIGTERM", () => {});
process.on("SIGINT", () => {});
const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], env });
child.on("error", (e) => { console.error("supervisor: cannot run " + command + ": " + e.message); leave(127); });
child.on("exit", (code, signal) => {
  if (signal) console.error("supervisor: " + command + " was killed by " + signal);
  leave(code === null ? 1 : code);
});
const orphaned = () => {
  killGroup("SIGTERM");
  setTimeout(() => { cleanup(); killGroup("SIGKILL"); }, 5000);
};
process.stdin.on("end", orphaned);
process.stdin.on("error", orphaned);
process.stdin.resume();
`;
