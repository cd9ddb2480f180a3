// The yardstick for the recording proxy: a bare Node pass-through proxy, keep-alive to one upstream,
// bytes piped both ways. The recording proxy in live mode should cost about what this costs.
import { Agent, createServer, request } from "node:http";

const upstream = new URL(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const server = createServer((req, res) => {
  const out = request({ host: upstream.hostname, port: upstream.port, path: req.url.replace(/^\/[^/]+/, ""), method: req.method, headers: req.headers, agent }, (up) => {
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  out.on("error", () => res.destroy());
  req.pipe(out);
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => console.log(`bare proxy listening on http://127.0.0.1:${server.address().port}`));
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
