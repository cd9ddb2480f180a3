/**
 * The sample documents upstream's vector_io tests insert as chunks, and the queries they search
 * with. Texts are kept verbatim: the stack embeds them, and recordings are keyed by the request.
 */
import { createHash } from "node:crypto";

export interface SampleDoc {
  documentId: string;
  topic: string;
  content: string;
}

export const SAMPLE_DOCS: readonly SampleDoc[] = [
  {
    documentId: "doc1",
    topic: "programming",
    content:
      "Python is a high-level programming language that emphasizes code readability and allows programmers to express concepts in fewer lines of code than would be possible in languages such as C++ or Java.",
  },
  {
    documentId: "doc2",
    topic: "ai",
    content:
      "Machine learning is a subset of artificial intelligence that enables systems to automatically learn and improve from experience without being explicitly programmed, using statistical techniques to give computer systems the ability to progressively improve performance on a specific task.",
  },
  {
    documentId: "doc3",
    topic: "computer_science",
    content:
      "Data structures are fundamental to computer science because they provide organized ways to store and access data efficiently, enable faster processing of data through optimized algorithms, and form the building blocks for more complex software systems.",
  },
  {
    documentId: "doc4",
    topic: "ai",
    content:
      "Neural networks are inspired by biological neural networks found in animal brains, using interconnected nodes called artificial neurons to process information through weighted connections that can be trained to recognize patterns and solve complex problems through iterative learning.",
  },
];

/** Llama Stack's Chunk as upstream's tests send it to /v1/vector-io/insert. */
export interface Chunk {
  content: string;
  chunk_id: string;
  metadata: Record<string, unknown>;
  embedding?: number[];
}

/** Llama Stack's generate_chunk_id: the first 128 bits of sha256("<doc>:<text>") as a UUID string. */
export function generateChunkId(documentId: string, text: string): string {
  const hex = createHash("sha256").update(`${documentId}:${text}`, "utf8").digest("hex").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** test_openai_vector_stores.py's sample_chunks: metadata carries document_id and topic. */
export function sampleChunksWithTopic(): Chunk[] {
  return SAMPLE_DOCS.map((d) => ({
    content: d.content,
    chunk_id: generateChunkId(d.documentId, d.content),
    metadata: { document_id: d.documentId, topic: d.topic },
  }));
}

/** test_vector_io.py's sample_chunks: metadata carries document_id only. */
export function sampleChunks(): Chunk[] {
  return SAMPLE_DOCS.map((d) => ({
    content: d.content,
    chunk_id: generateChunkId(d.documentId, d.content),
    metadata: { document_id: d.documentId },
  }));
}

export interface QueryCase {
  query: string;
  expectedDocId: string;
  expectedTopic?: string;
}

/** test_vector_io.py::test_insert_chunks parameters (pytest ids test_case0..4). */
export const INSERT_QUERY_CASES: readonly QueryCase[] = [
  { query: "What makes Python different from C++ and Java?", expectedDocId: "doc1" },
  { query: "How do systems learn without explicit programming?", expectedDocId: "doc2" },
  { query: "Why are data structures important in computer science?", expectedDocId: "doc3" },
  { query: "What is the biological inspiration for neural networks?", expectedDocId: "doc4" },
  { query: "How does machine learning improve over time?", expectedDocId: "doc2" },
];

/** test_openai_vector_store_search_relevance parameters (pytest ids test_case0..3). */
export const RELEVANCE_CASES: readonly QueryCase[] = [
  { query: "What makes Python different from other languages?", expectedDocId: "doc1", expectedTopic: "programming" },
  { query: "How do systems learn automatically?", expectedDocId: "doc2", expectedTopic: "ai" },
  { query: "Why are data structures important?", expectedDocId: "doc3", expectedTopic: "computer_science" },
  { query: "What inspires neural networks?", expectedDocId: "doc4", expectedTopic: "ai" },
];

/** test_openai_vector_store_search_modes parameters, ids as the values. */
export const SEARCH_MODES = ["vector", "keyword", "hybrid"] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];
