import type { Database } from "better-sqlite3";
import { combineScores, type Reranker } from "./rerank.js";
import type { Chunk, QueryChunksResponse } from "./types.js";

/**
 * One vector store's chunk index in SQLite, scoring like upstream's sqlite-vec provider:
 * - vector: brute-force Euclidean (L2) distance over float32 BLOBs, score = 1 / distance
 *   (faiss's flat L2 index measures squared distance, so its score is 1 / distance²);
 * - keyword: FTS5 MATCH ranked by bm25 (negative: more relevant is more negative);
 * - hybrid: both, fused by RRF or weighted scores.
 * Brute force is deliberate: stores in tests hold a few hundred chunks at most.
 */
/** How a vector distance is measured before scoring: sqlite-vec uses L2, faiss's IndexFlatL2 squared L2. */
export type DistanceMetric = "l2" | "squared-l2";

export class SqliteChunkIndex {
  private readonly chunksTable: string;
  private readonly ftsTable: string;

  constructor(
    private readonly db: Database,
    storeId: string,
  ) {
    const safe = storeId.replace(/[^a-zA-Z0-9_]/g, "_");
    this.chunksTable = `chunks_${safe}`;
    this.ftsTable = `fts_chunks_${safe}`;
  }

  create(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS [${this.chunksTable}] (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, chunk TEXT NOT NULL, embedding BLOB NOT NULL)`);
    this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS [${this.ftsTable}] USING fts5(id, content)`);
  }

  drop(): void {
    this.db.exec(`DROP TABLE IF EXISTS [${this.chunksTable}]; DROP TABLE IF EXISTS [${this.ftsTable}];`);
  }

  /** Inserts or replaces chunks (by chunk_id); every chunk must carry its embedding. */
  add(chunks: Chunk[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO [${this.chunksTable}] (id, chunk, embedding) VALUES (?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET chunk = excluded.chunk, embedding = excluded.embedding`,
    );
    const ftsDelete = this.db.prepare(`DELETE FROM [${this.ftsTable}] WHERE id = ?`);
    const ftsInsert = this.db.prepare(`INSERT INTO [${this.ftsTable}] (id, content) VALUES (?, ?)`);
    this.db.transaction(() => {
      for (const chunk of chunks) {
        const embedding = Buffer.from(Float32Array.from(chunk.embedding ?? []).buffer);
        upsert.run(chunk.chunk_id, JSON.stringify(chunk), embedding);
        ftsDelete.run(chunk.chunk_id);
        ftsInsert.run(chunk.chunk_id, typeof chunk.content === "string" ? chunk.content : "");
      }
    })();
  }

  delete(chunkIds: string[]): void {
    const del = this.db.prepare(`DELETE FROM [${this.chunksTable}] WHERE id = ?`);
    const ftsDel = this.db.prepare(`DELETE FROM [${this.ftsTable}] WHERE id = ?`);
    this.db.transaction(() => {
      for (const id of chunkIds) {
        del.run(id);
        ftsDel.run(id);
      }
    })();
  }

  /** Scores are computed from the metric's distance first, then filtered, as each upstream provider does. */
  queryVector(query: number[], k: number, scoreThreshold: number, metric: DistanceMetric = "l2"): QueryChunksResponse {
    const q = Float32Array.from(query);
    const rows = this.db.prepare(`SELECT chunk, embedding FROM [${this.chunksTable}] ORDER BY seq`).all() as {
      chunk: string;
      embedding: Buffer;
    }[];
    const ranked = rows
      .map((row) => ({ chunk: row.chunk, distance: l2(q, toFloat32(row.embedding)) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, Math.max(0, k));
    const out: QueryChunksResponse = { chunks: [], scores: [] };
    for (const { chunk, distance: l2Distance } of ranked) {
      const distance = metric === "squared-l2" ? l2Distance * l2Distance : l2Distance;
      // An exact match has distance 0; upstream reports infinity, which JSON cannot carry.
      const score = distance === 0 ? Number.MAX_VALUE : 1 / distance;
      if (score < scoreThreshold) continue;
      out.chunks.push(JSON.parse(chunk) as Chunk);
      out.scores.push(score);
    }
    return out;
  }

  /** `query` is FTS5 query syntax, passed through as upstream does; a syntax error throws. */
  queryKeyword(query: string, k: number, scoreThreshold: number): QueryChunksResponse {
    const rows = this.db
      .prepare(
        `SELECT m.chunk AS chunk, bm25([${this.ftsTable}]) AS score
         FROM [${this.ftsTable}] AS f JOIN [${this.chunksTable}] AS m ON m.id = f.id
         WHERE f.content MATCH ? ORDER BY score ASC LIMIT ?`,
      )
      .all(query, Math.max(0, k)) as { chunk: string; score: number }[];
    const out: QueryChunksResponse = { chunks: [], scores: [] };
    for (const row of rows) {
      if (row.score > -scoreThreshold) continue;
      out.chunks.push(JSON.parse(row.chunk) as Chunk);
      out.scores.push(row.score);
    }
    return out;
  }

  queryHybrid(
    embedding: number[],
    query: string,
    k: number,
    scoreThreshold: number,
    reranker: Reranker,
  ): QueryChunksResponse {
    const vector = this.queryVector(embedding, k, scoreThreshold);
    const keyword = this.queryKeyword(query, k, scoreThreshold);
    const byId = new Map<string, Chunk>();
    const scoresOf = (r: QueryChunksResponse) => {
      const m = new Map<string, number>();
      r.chunks.forEach((c, i) => {
        m.set(c.chunk_id, r.scores[i] ?? 0);
        if (!byId.has(c.chunk_id)) byId.set(c.chunk_id, c);
      });
      return m;
    };
    const combined = combineScores(scoresOf(vector), scoresOf(keyword), reranker);
    const top = [...combined.entries()].sort((a, b) => b[1] - a[1]).slice(0, Math.max(0, k));
    const out: QueryChunksResponse = { chunks: [], scores: [] };
    for (const [id, score] of top) {
      const chunk = byId.get(id);
      if (score < scoreThreshold || !chunk) continue;
      out.chunks.push(chunk);
      out.scores.push(score);
    }
    return out;
  }
}

function toFloat32(blob: Buffer): Float32Array {
  // Copy: a Buffer's byteOffset need not be 4-byte aligned.
  const bytes = new Uint8Array(blob);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function l2(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    sum += d * d;
  }
  return Math.sqrt(sum);
}
