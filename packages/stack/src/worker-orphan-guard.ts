/**
 * setupFiles entry of every API package: a test worker whose vitest died (kill -9) kept running,
 * and spinning, for minutes. It leaves once its parent is gone (its parent pid changes); by
 * SIGKILL, since vitest turns process.exit in a worker into an error.
 */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGKILL");
}, 500).unref();
