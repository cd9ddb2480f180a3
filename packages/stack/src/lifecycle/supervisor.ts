/**
 * A tiny supervisor run as `node -e SUPERVISOR_SOURCE <command> <args...>`: it leads the process
 * group, runs the command in it, and takes the whole group down when its stdin closes, which
 * happens when the harness dies, even by SIGKILL (when no exit handler can run). It passes the
 * command's exit code on, so start-up failures read the same as without it.
 */
export const SUPERVISOR_SOURCE = `
const { spawn } = require("node:child_process");
const [command, ...args] = process.argv.slice(1);
const killGroup = (signal) => { try { process.kill(-process.pid, signal); } catch {} };
// SIGTERM is for the command; this process leaves when the command has.
process.on("SIGTERM", () => {});
process.on("SIGINT", () => {});
const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
child.on("error", (e) => { console.error("supervisor: cannot run " + command + ": " + e.message); process.exit(127); });
child.on("exit", (code, signal) => {
  if (signal) console.error("supervisor: " + command + " was killed by " + signal);
  process.exit(code === null ? 1 : code);
});
const orphaned = () => {
  killGroup("SIGTERM");
  setTimeout(() => killGroup("SIGKILL"), 5000);
};
process.stdin.on("end", orphaned);
process.stdin.on("error", orphaned);
process.stdin.resume();
`;
