/** Malformed inputs for the bad-input sweep: path values, query strings and bodies no client should send. */

export interface RawRequest {
  method: string;
  path: string;
  contentType?: string;
  body?: string | Uint8Array;
}

/** Substituted for every path parameter. */
export const BAD_PATH_VALUES = [
  "does-not-exist",
  "%00",
  "%E0%A4%A",
  "..%2F..%2Fetc%2Fpasswd",
  "a".repeat(3000),
  "%20",
  "1e20",
  "-1",
];

export const BAD_QUERIES = [
  "limit=1e20",
  "limit=-1",
  "limit=abc",
  "limit=0",
  "limit=1.5",
  "limit=99999999999999999999999",
  "limit=1&limit=2",
  "order=sideways",
  "after=does-not-exist&before=does-not-exist",
  "include=zzz&include[]=x",
  "api_filter=zzz",
  "x=%E0%A4%A",
  "start_index=-5&limit=-5",
  "purpose=zzz&order=asc&limit=2",
];

const DEEP = `${"[".repeat(3000)}${"]".repeat(3000)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(3000)}1${"}".repeat(3000)}`;
const MODEL = '"llama-cpp/tiny-random-llama"';
const BOUNDARY = "----sweep";
const TRUNCATED_MULTIPART = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello`;

/** Field names that many request bodies carry, each given a nested value 3,000 deep. */
const COMMON_FIELDS = ["messages", "input", "items", "metadata", "query", "content", "params", "tools", "text", "source", "purpose", "chunks", "scoring_functions", "input_rows"];

export const BAD_BODIES: Omit<RawRequest, "method" | "path">[] = [
  { contentType: "application/json", body: "{bad" },
  { contentType: "application/json", body: "" },
  { contentType: "application/json", body: "null" },
  { contentType: "application/json", body: "[]" },
  { contentType: "application/json", body: '"text"' },
  { contentType: "application/json", body: "1e400" },
  { contentType: "application/json", body: DEEP },
  { contentType: "application/json", body: DEEP_OBJECT },
  ...COMMON_FIELDS.map((f) => ({ contentType: "application/json", body: `{"model":${MODEL},"${f}":${DEEP}}` })),
  ...COMMON_FIELDS.map((f) => ({ contentType: "application/json", body: `{"model":${MODEL},"${f}":[{"role":"user","content":${DEEP_OBJECT}}]}` })),
  {
    contentType: "application/json",
    body: JSON.stringify({ model: 5, messages: 5, input: 5, limit: 1e20, max_tokens: 1e20, n: 1e20, top_k: 1e20, max_num_results: 1e20, chunk_size_in_tokens: 1e20, completion_window: 5, file_ids: 5, metadata: 5, items: 5, name: 5 }),
  },
  {
    contentType: "application/json",
    body: JSON.stringify({ model: "llama-cpp/tiny-random-llama", messages: [{ role: "user", content: "hi" }], input: "hi", query: "hi", items: [], max_tokens: -1, n: 1e20, limit: 1e20, top_k: -1, max_num_results: 1e20, temperature: 1e308 }),
  },
  { contentType: "application/json", body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { contentType: "text/plain", body: "hello" },
  { contentType: "application/x-www-form-urlencoded", body: "a=1&b=2" },
  { contentType: "multipart/form-data", body: "no boundary" },
  { contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: TRUNCATED_MULTIPART },
  { contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: "" },
  { contentType: "application/json; charset=latin-7", body: "{}" },
];
