/** What the scoring router needs from a scoring provider (upstream's Scoring + ScoringFunctionsProtocolPrivate). */
import type { AggregationFunction, Row, ScoringFn, ScoringFnParams, ScoringResult } from "./types.js";

export interface ScoringProvider {
  readonly providerType: string;
  /** The functions it ships, registered in the routing table at startup. */
  builtins(): ScoringFn[];
  register(fn: ScoringFn): void;
  unregister(id: string): void;
  /** Scores every row with one function; `params` (when given) overrides the function's own. */
  score(rows: Row[], fnId: string, params: ScoringFnParams | null): Promise<ScoringResult>;
}

/** Upstream's NotImplementedError answer (501). */
export class ScoringNotImplementedError extends Error {
  readonly statusCode = 501;
  constructor(message: string) {
    super(`Not implemented: ${message}`);
    this.name = "ScoringNotImplementedError";
  }
}

/** A row lacks a column the function reads (an assertion or KeyError upstream: a 500). */
export class MissingColumnError extends Error {
  constructor(fnId: string, column: string) {
    super(`Scoring function ${fnId} needs column '${column}' in every input row`);
    this.name = "MissingColumnError";
  }
}

export function column(row: Row, fnId: string, name: string): unknown {
  if (!(name in row)) throw new MissingColumnError(fnId, name);
  return row[name];
}

/** A built-in function definition: owner-less, registered through the routing table like upstream's. */
export function builtinFn(fields: Pick<ScoringFn, "identifier" | "provider_id" | "provider_resource_id" | "description" | "params">): ScoringFn {
  return {
    identifier: fields.identifier,
    provider_resource_id: fields.provider_resource_id,
    provider_id: fields.provider_id,
    type: "scoring_function",
    owner: null,
    source: "via_register_api",
    description: fields.description,
    metadata: {},
    return_type: { type: "number" },
    params: fields.params,
  };
}

/**
 * The function definitions a provider scores with. Like upstream's, they are the provider's own objects
 * and a call's params override them for later calls too: the judge keeps the last params it was given,
 * and every function keeps the last aggregation functions it was given.
 */
export class FunctionDefs {
  private readonly defs = new Map<string, ScoringFn>();

  constructor(builtins: readonly ScoringFn[]) {
    for (const fn of builtins) this.defs.set(fn.identifier, structuredClone(fn));
  }

  has(id: string): boolean {
    return this.defs.has(id);
  }

  get(id: string): ScoringFn {
    const fn = this.defs.get(id);
    // The routing table only routes registered ids here; a miss is upstream's KeyError (500).
    if (!fn) throw new Error(`Scoring function ${id} has no definition in its provider`);
    return fn;
  }

  add(fn: ScoringFn): void {
    this.defs.set(fn.identifier, structuredClone(fn));
  }

  delete(id: string): void {
    this.defs.delete(id);
  }

  /** Upstream's score_row override: the call's params replace the definition's. */
  overrideParams(id: string, params: ScoringFnParams | null): ScoringFnParams | null {
    const fn = this.get(id);
    if (params !== null) fn.params = structuredClone(params);
    return fn.params;
  }

  /** Upstream's aggregate: the call's aggregation functions replace the definition's (kept), or its params serve when it has none. */
  aggregationFunctions(id: string, params: ScoringFnParams | null): AggregationFunction[] {
    const fn = this.get(id);
    let effective = fn.params;
    if (params !== null) {
      if (effective === null) effective = params;
      else effective.aggregation_functions = [...params.aggregation_functions];
    }
    return effective?.aggregation_functions ?? [];
  }
}
