// Local OpenAI-style upstream for the bench: JSON at any path, SSE at paths ending in /stream.
import { createServer } from "node:http";

const CHUNKS = Number(process.argv[2] ?? 20);
const chunk = (i) => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: `tok${i} ` } }] })}\n\n`;
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.url.endsWith("/stream")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (let i = 0; i < CHUNKS; i++) res.write(chunk(i));
      res.end("data: [DONE]\n\n");
    } else {
      const body = JSON.stringify({ id: "x", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" } }] });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    }
  });
});
server.listen(0, "127.0.0.1", () => console.log(`upstream listening on http://127.0.0.1:${server.address().port}`));
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
