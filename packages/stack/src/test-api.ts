/**
 * The typed contract every API test package codes against. Implemented in this package; API
 * packages import it as `import { upstreamTest } from "@llama-stack-tests/stack"`.
 */
import type LlamaStackClient from "llama-stack-client";
import type OpenAI from "openai";
import type { StackTarget } from "./stack-config.js";

/** Model fixtures upstream's conftest parametrizes, in its order (that order builds the id). */
export type ModelFixture =
  | "text_model_id"
  | "vision_model_id"
  | "embedding_model_id"
  | "shield_id"
  | "judge_model_id"
  | "embedding_dimension"
  | "rerank_model_id";

/** Client variant ids as they appear in upstream test ids. */
export type ClientVariant = "client_with_models" | "openai_client" | "llama_stack_client";

/** What a setup can do; a test asks before an assertion that needs it. */
export type Capability =
  | "tool_calling" // tool_choice auto yields a sensible tool call
  | "vision"
  | "answer_quality" // instruction following: "which planet...", expected substrings
  | "safety_verdicts" // the shield tells safe from unsafe
  | "embeddings_semantics" // similar texts embed closer than unrelated ones
  | "structured_output"; // json_schema output is valid for the schema

export interface ResolvedModels {
  text?: string;
  vision?: string;
  embedding?: string;
  shield?: string;
  judge?: string;
  rerank?: string;
  embeddingDimension: number;
}

export interface UpstreamCase<P> {
  /** The pytest id of this parametrize value, e.g. "inference:chat_completion:non_streaming_01" or "False". */
  id: string;
  value: P;
}

export interface UpstreamTestSpec<P = undefined> {
  /** Upstream file, e.g. "tests/integration/files/test_files.py". */
  file: string;
  /** Function name, or "TestClass::test_fn". */
  name: string;
  /** Client variants upstream parametrizes over, in upstream's order; each becomes its own case. */
  clients?: readonly ClientVariant[];
  /** Model fixtures the upstream function takes; an unset model skips the case with a reason. */
  models?: readonly ModelFixture[];
  /** Explicit parametrize values (one dimension; join ids yourself for stacked parametrizes). */
  cases?: readonly UpstreamCase<P>[];
  /** Order of the id parts when upstream's differs from the default ["client", "models", "cases"]. */
  idOrder?: readonly ("client" | "models" | "cases")[];
  /** Capabilities without which no part of the case can run: the case is skipped with the reason. */
  requires?: readonly Capability[];
  /**
   * Upstream's test cannot pass on any Llama Stack, for this reason: the case must fail, and is then
   * reported as skipped with "known failure: <reason>" and the error; a case that passes fails, naming
   * this field, so the declaration stays true.
   */
  knownFailure?: string;
  /** Per-case timeout in ms (default from the package's vitest config). */
  timeout?: number;
}

export interface UpstreamTestContext<P> {
  /** Full upstream node id sent as `__test_id`, e.g. "tests/integration/x/test_y.py::test_z[txt=a/b]". */
  testId: string;
  /** Stack base URL, without /v1. */
  baseUrl: string;
  /** llama-stack-client carrying the test id. */
  client: LlamaStackClient;
  /** openai SDK at `${baseUrl}/v1` carrying the test id. */
  openai: OpenAI;
  /** The case's client variant, when the spec has `clients`. */
  variant?: ClientVariant;
  /** The variant's client: OpenAI for "openai_client", LlamaStackClient otherwise. */
  compat: OpenAI | LlamaStackClient;
  models: ResolvedModels;
  /** The case's explicit parameter value. */
  param: P;
  /** Name of the active setup, e.g. "embedded", "ollama". */
  setupName: string;
  /** What --stack-config names: the TypeScript embedded stack, a started Python server, or a URL. */
  stackKind: StackTarget["kind"];
  /** Inference mode of the run. */
  inferenceMode: "live" | "record" | "replay" | "record-if-missing";
  /**
   * True when the setup has the capability. When it has not, records a skipped assertion
   * ("<capability>: <what>") for the report and returns false, so the caller skips only that assertion.
   */
  can(capability: Capability, what: string): boolean;
  /** Skips the rest of the case with a reason that lands in the report. */
  skip(reason: string): never;
  /** Raw HTTP against the stack (path like "/v1/files"), with the test id in provider data. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Headers carrying the test id, for hand-built requests (SSE readers, multipart). */
  headers: Record<string, string>;
  /** Whether the stack lists the route in /v1/inspect/routes (cached per run), e.g. ("POST", "/v1beta/datasetio/append-rows/{dataset_id}"). */
  hasRoute(method: string, route: string): Promise<boolean>;
  /** "removed in <product> <version> (...)" when the target no longer serves the route, else null. */
  removedIn(method: string, route: string): string | null;
  /**
   * Whether the stack lists any route of the API `route` belongs to (its first two path segments, e.g.
   * /v1alpha/post-training): false means the stack does not configure that API at all.
   */
  servesApiOf(route: string): Promise<boolean>;
}

export type UpstreamTestFn<P> = (t: UpstreamTestContext<P>) => Promise<void> | void;
