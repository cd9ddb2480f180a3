/**
 * Python's OpenAI SDK puts the whole error body into the exception's text, so upstream's checks on
 * error messages hold whatever the body's shape. The TypeScript SDK reads only OpenAI's
 * `{"error": {...}}` envelope and reports any other body as "<status> status code (no body)". Llama
 * Stack answers many errors with FastAPI's `{"detail": ...}`: this fetch wraps such a body in the
 * envelope, with the body's text as the message, so a port checks the same text upstream checks.
 */
export async function envelopeErrorBodies(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  if (res.ok) return res;
  const text = await res.clone().text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return res; // not JSON: the SDK already reports the text
  }
  if (typeof body === "object" && body !== null && !Array.isArray(body) && "error" in body) return res;
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify({ error: { message: text } }), { status: res.status, statusText: res.statusText, headers });
}
