/**
 * Update and set-default-version over HTTP: llama-stack-client 0.7.3 sends them as PUT, while the
 * API (upstream's OpenAPI spec at the pinned commit) serves POST /v1/prompts/{id} and
 * POST /v1/prompts/{id}/set-default-version.
 */
import type { UpstreamTestContext } from "@llama-stack-tests/stack";
import type LlamaStackClient from "llama-stack-client";

type Prompt = LlamaStackClient.Prompt;
type Ctx = Pick<UpstreamTestContext<unknown>, "fetch">;

/** A non-2xx answer, with its status and parsed JSON body. */
export class StackHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    where: string,
  ) {
    super(`${where} answered ${status}: ${JSON.stringify(body)}`);
    this.name = "StackHttpError";
  }
}

async function post(t: Ctx, path: string, body: unknown): Promise<Prompt> {
  const response = await t.fetch(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  const text = await response.text();
  const parsed: unknown = text === "" ? null : JSON.parse(text);
  if (!response.ok) throw new StackHttpError(response.status, parsed, `POST ${path}`);
  return parsed as Prompt;
}

export function updatePrompt(
  t: Ctx,
  promptId: string,
  body: { prompt: string; version: number; variables?: string[]; set_as_default?: boolean },
): Promise<Prompt> {
  return post(t, `/v1/prompts/${encodeURIComponent(promptId)}`, body);
}

export function setDefaultVersion(t: Ctx, promptId: string, version: number): Promise<Prompt> {
  return post(t, `/v1/prompts/${encodeURIComponent(promptId)}/set-default-version`, { version });
}
