import { recordAssertionCalls } from "@llama-stack-tests/report";
import { expect, inject, test } from "vitest";
import { createTestContext } from "./context.js";
import { parseServerTarget, removedApiReason } from "./server-targets.js";
import type { LlamaStackProvided } from "./provided.js";
import { ReplayMisses, ReplayMissError } from "./replay-misses.js";
import { missingModelReason, planCases } from "./test-ids.js";
import type { UpstreamTestFn, UpstreamTestSpec } from "./test-api.js";
import "./provided.js";

function provided(): LlamaStackProvided {
  const value = inject("llamaStack");
  if (!value) {
    throw new Error(
      "upstreamTest: no stack was provided to this worker. Use defineApiConfig from @llama-stack-tests/stack/vitest-config in vitest.config.ts (its globalSetup starts the stack).",
    );
  }
  return value;
}

/** Vitest's own skip signal (ctx.skip throws it), which a known failure must let through. */
function isSkipSignal(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "VITEST_PENDING";
}

/**
 * A case declared a known failure: its failure becomes the skip "known failure: <reason> (<error>)";
 * a skip stays a skip; a pass fails, so the declaration stays true.
 */
function settleKnownFailure(reason: string, failure: unknown, skip: (note: string) => never): never {
  if (isSkipSignal(failure)) throw failure;
  if (failure !== undefined) skip(`known failure: ${reason} (${String((failure as Error)?.message ?? failure).split("\n", 1)[0]})`);
  throw new Error(`This case passed, but its spec declares a known failure ("${reason}"): remove knownFailure from the spec.`);
}

/**
 * Registers one vitest test per case of an upstream test function (client variant x model
 * combination x explicit case), each named by its full upstream node id.
 */
let misses: ReplayMisses | undefined;

export function upstreamTest<P = undefined>(spec: UpstreamTestSpec<P>, fn: UpstreamTestFn<P>): void {
  const stack = provided();
  const { options } = stack;
  if (stack.trafficLog) misses ??= new ReplayMisses(stack.trafficLog);
  const lacking = (spec.requires ?? []).filter((c) => !(options.capabilities as string[]).includes(c));
  // Upstream's directory (tests/integration/<api>/...) is the API the whole file tests.
  const removed = removedApiReason(parseServerTarget(options.target), spec.file.split("/").at(-2) ?? "");
  for (const planned of planCases(spec, options.models)) {
    test(planned.testId, spec.timeout ? { timeout: spec.timeout } : {}, async (ctx) => {
      if (removed) ctx.skip(removed);
      const missing = planned.missing[0];
      if (missing) ctx.skip(missingModelReason(missing, options.setupName));
      if (lacking.length) ctx.skip(`setup ${options.setupName} lacks ${lacking.join(", ")}`);
      let failure: unknown;
      try {
        await fn(createTestContext(planned, stack, ctx));
      } catch (e) {
        failure = e;
      }
      // A request the project's own recordings cannot answer fails the test, whatever the test made of the error.
      const missed = misses?.of(planned.testId) ?? [];
      if (missed.length) throw new ReplayMissError(missed, failure);
      if (spec.knownFailure) settleKnownFailure(spec.knownFailure, failure, ctx.skip);
      if (failure !== undefined) throw failure;
      // A case that passes without one assertion tested nothing: the report lists such cases.
      recordAssertionCalls(ctx.task, expect.getState().assertionCalls);
    });
  }
}
