/**
 * Provider health checks, one per provider type that has `health()` upstream: the Ollama adapter asks
 * its native API for the running models (GET <host>/api/ps, recorded upstream, so it carries the test
 * id), vLLM's adapter GETs <base_url>/../health with a plain HTTP client (never recorded), and inline
 * faiss is always healthy. Every other provider type has no check.
 */
import { STATUS_CODES } from "node:http";
import { request } from "undici";
import type { ProviderConfig } from "../config/types.js";
import { currentTestId } from "../context/request-context.js";
import { TEST_ID_HEADER } from "@llama-stack-tests/recording";
import { providerBaseUrl } from "./inference-providers.js";

/** Upstream's HealthStatus values. */
export type HealthStatus = "OK" | "Error" | "Not Implemented";

/** Upstream's HealthResponse: a free-form dict, in practice a status and, unless OK, a message. */
export interface HealthResponse {
  status: HealthStatus;
  message?: string;
}

/** Runs one provider's check; the signal aborts it when the caller gives up waiting. */
export type HealthCheck = (signal: AbortSignal) => Promise<HealthResponse>;

const OK: HealthResponse = { status: "OK" };

function failed(message: string): HealthResponse {
  return { status: "Error", message: `Health check failed: ${message}` };
}

/** What the Ollama Python client raises when it cannot connect (its CONNECTION_ERROR_MESSAGE). */
const OLLAMA_CONNECTION_ERROR =
  "Failed to connect to Ollama. Please check that Ollama is downloaded, running and accessible. https://ollama.com/download";

/** The Ollama client's ResponseError text: the body's `error` field (else the raw body) and the status. */
function ollamaResponseError(status: number, text: string): string {
  let error: unknown = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && "error" in parsed) error = parsed.error;
  } catch {
    // Not JSON: the client keeps the raw text.
  }
  return `${typeof error === "string" ? error : JSON.stringify(error)} (status code: ${status})`;
}

/** Ollama's client takes the host without the OpenAI-compatible /v1 suffix, as upstream derives it. */
function ollamaHost(baseUrl: string): string {
  return baseUrl.endsWith("/v1") ? baseUrl.slice(0, -3) : baseUrl;
}

function ollamaHealth(baseUrl: string): HealthCheck {
  const url = `${ollamaHost(baseUrl).replace(/\/+$/, "")}/api/ps`;
  return async (signal) => {
    const testId = currentTestId();
    const headers = testId ? { [TEST_ID_HEADER]: testId } : {};
    const res = await request(url, { method: "GET", headers, signal }).catch(() => null);
    if (!res) return failed(OLLAMA_CONNECTION_ERROR);
    const text = await res.body.text();
    return res.statusCode >= 200 && res.statusCode < 300 ? OK : failed(ollamaResponseError(res.statusCode, text));
  };
}

/** httpx's raise_for_status wording, which upstream's vLLM check passes on. */
function httpxStatusError(status: number, url: string): string {
  const kind = status < 200 ? "Informational response" : status < 400 ? "Redirect response" : status < 500 ? "Client error" : "Server error";
  return `${kind} '${status} ${STATUS_CODES[status] ?? ""}' for url '${url}'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/${status}`;
}

function vllmHealth(baseUrl: string): HealthCheck {
  // urljoin semantics: "<origin>/v1" + "health" replaces the last segment, giving "<origin>/health".
  const url = new URL("health", baseUrl).href;
  return async (signal) => {
    // Transport failures keep Node's wording (httpx words them its own way).
    const res = await request(url, { method: "GET", signal }).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    if (res instanceof Error) return failed(res.message);
    await res.body.dump();
    return res.statusCode >= 200 && res.statusCode < 300 ? OK : failed(httpxStatusError(res.statusCode, url));
  };
}

/** The provider's health check, or null when upstream's provider has none ("Not Implemented"). */
export function healthCheckFor(provider: ProviderConfig): HealthCheck | null {
  switch (provider.provider_type) {
    // Upstream's check only builds an in-memory index; here the index lives in the stack's own SQLite.
    case "inline::faiss":
      return async () => OK;
    case "remote::ollama":
    case "remote::vllm": {
      const baseUrl = providerBaseUrl(provider);
      if (!baseUrl) return async () => failed("No base URL configured");
      return provider.provider_type === "remote::ollama" ? ollamaHealth(baseUrl) : vllmHealth(baseUrl);
    }
    default:
      return null;
  }
}
