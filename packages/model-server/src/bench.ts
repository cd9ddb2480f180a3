import { EMBEDDING_MODEL } from "./embedding-model.js";
import { DEFAULT_MODEL_IDS } from "./models.js";
import { startModelServer } from "./server.js";

/** Throughput of the server over HTTP (one llama.cpp thread unless MODEL_SERVER_THREADS is set). */
async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
}

async function main(): Promise<void> {
  const threads = Number(process.env.MODEL_SERVER_THREADS ?? 1);
  const [server, startup] = await timed(() => startModelServer({ modelPath: process.argv[2], threads }));
  try {
    const chat = `${server.url}/v1/chat/completions`;
    const messages = [{ role: "user", content: "Tell me a story." }];
    await post(chat, { model: "tiny-random-llama", messages, max_tokens: 8 });

    let genTokens = 0;
    let genSeconds = 0;
    for (let i = 0; i < 5; i++) {
      const [res, s] = await timed(() => post(chat, { model: "tiny-random-llama", messages, max_tokens: 256, temperature: 0 }));
      genTokens += res.usage.completion_tokens;
      genSeconds += s;
    }

    const prompt = "The quick brown fox jumps over the lazy dog. ".repeat(40);
    const [promptRes, promptSeconds] = await timed(() => post(`${server.url}/v1/completions`, { model: "tiny-random-llama", prompt, max_tokens: 1 }));

    // Sentences of a vector store's size; the same inputs for both models, one request of 32.
    const inputs = Array.from({ length: 32 }, (_, i) => `Document ${i}: the quick brown fox jumps over the lazy dog while the stock market in Paris rose again today.`);
    const embedRate = async (model: string) => {
      await post(`${server.url}/v1/embeddings`, { model, input: inputs[0] });
      let seconds = 0;
      for (let round = 0; round < 3; round++) seconds += (await timed(() => post(`${server.url}/v1/embeddings`, { model, input: inputs })))[1];
      return (3 * inputs.length) / seconds;
    };
    const tinyRate = await embedRate(DEFAULT_MODEL_IDS.embedding);
    const miniLmRate = await embedRate(EMBEDDING_MODEL.id);

    console.log(`threads: ${threads}`);
    console.log(`startup (generate/load model, listen): ${startup.toFixed(2)} s`);
    console.log(`generation: ${(genTokens / genSeconds).toFixed(0)} tokens/s (${genTokens} tokens, chat, greedy, incl. HTTP and prompt)`);
    console.log(`prompt processing: ${(promptRes.usage.prompt_tokens / promptSeconds).toFixed(0)} tokens/s (${promptRes.usage.prompt_tokens} tokens)`);
    console.log(`embeddings, ${DEFAULT_MODEL_IDS.embedding}: ${tinyRate.toFixed(0)} inputs/s (3 requests of ${inputs.length})`);
    console.log(`embeddings, ${EMBEDDING_MODEL.id}: ${miniLmRate.toFixed(1)} inputs/s (3 requests of ${inputs.length}), ${(tinyRate / miniLmRate).toFixed(1)}x slower than the tiny model`);
  } finally {
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${(err as Error).message}`);
  process.exit(1);
});
