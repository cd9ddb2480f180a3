import { randomBytes } from "node:crypto";
import type { Database } from "better-sqlite3";
import { InvalidValueError } from "../files/errors.js";
import { pyRepr } from "../vector_io/py-repr.js";
import type { IdMinter } from "../files/store.js";
import type { ListPromptsResponse, Prompt } from "./types.js";

/** Placeholders as upstream finds them: `{{ name }}` with a word-character name. */
const VARIABLE_PATTERN = /\{\{\s*([\p{L}\p{N}_]+)\s*\}\}/gu;

/** A prompt whose text uses variables it does not declare; upstream reports it as a model validation error. */
export class UndeclaredVariablesError extends Error {
  readonly statusCode = 400;
  constructor(readonly undeclared: string[]) {
    super(`Prompt contains undeclared variables: ${pyRepr([...undeclared].sort())}`);
    this.name = "UndeclaredVariablesError";
  }
}

interface VersionRow {
  prompt_id: string;
  version: number;
  prompt: string | null;
  variables: string;
}

export interface PromptsServiceOptions {
  db: Database;
  mintId?: IdMinter;
}

/**
 * Versioned prompt templates in SQLite. Mirrors upstream's key-value layout: every version is stored
 * with is_default=false and only the version listing computes the flag from the default pointer.
 */
export class PromptsService {
  private readonly db: Database;
  private readonly mintId: IdMinter;

  constructor(opts: PromptsServiceOptions) {
    this.db = opts.db;
    this.mintId = opts.mintId ?? ((_kind, fallback) => fallback());
    this.db.exec(`CREATE TABLE IF NOT EXISTS prompt_versions (
      prompt_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      prompt TEXT,
      variables TEXT NOT NULL,
      PRIMARY KEY (prompt_id, version)
    );
    CREATE TABLE IF NOT EXISTS prompt_defaults (
      prompt_id TEXT PRIMARY KEY,
      version INTEGER NOT NULL
    )`);
  }

  create(prompt: string, variables: string[] | null | undefined): Prompt {
    const promptId = this.mintId("pmpt", () => `pmpt_${randomBytes(24).toString("hex")}`);
    const created = buildPrompt(promptId, prompt, 1, variables ?? []);
    this.db.transaction(() => {
      this.insertVersion(created);
      this.setDefaultPointer(promptId, 1);
    })();
    return created;
  }

  /** Default versions of all prompts, newest id first as upstream sorts them. */
  list(): ListPromptsResponse {
    const rows = this.db
      .prepare(
        `SELECT v.* FROM prompt_defaults d JOIN prompt_versions v
         ON v.prompt_id = d.prompt_id AND v.version = d.version ORDER BY v.prompt_id DESC`,
      )
      .all() as VersionRow[];
    return { data: rows.map((row) => fromRow(row, false)) };
  }

  /** Version 0 or no version means the default version, like upstream's truthiness check. */
  get(promptId: string, version?: number | null): Prompt {
    const resolved = version ? version : this.defaultVersion(promptId);
    if (resolved === undefined) throw new InvalidValueError(`Prompt ${promptId}:default not found`);
    const row = this.versionRow(promptId, resolved);
    if (!row) throw new InvalidValueError(`Prompt ${promptId}:${version ? version : "default"} not found`);
    return fromRow(row, false);
  }

  update(
    promptId: string,
    prompt: string,
    version: number,
    variables: string[] | null | undefined,
    setAsDefault = true,
  ): Prompt {
    if (version < 1) throw new InvalidValueError("Version must be >= 1");
    const latest = this.latestVersion(promptId);
    if (latest === undefined) throw new InvalidValueError(`Prompt ${promptId} not found`);
    if (latest !== version) {
      throw new InvalidValueError(
        `'${version}' is not the latest prompt version for prompt_id='${promptId}'. Use the latest version '${latest}' in request.`,
      );
    }
    const updated = buildPrompt(promptId, prompt, version + 1, variables ?? []);
    this.db.transaction(() => {
      this.insertVersion(updated);
      if (setAsDefault) this.setDefaultPointer(promptId, updated.version);
    })();
    return updated;
  }

  delete(promptId: string): void {
    this.get(promptId);
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM prompt_versions WHERE prompt_id = ?").run(promptId);
      this.db.prepare("DELETE FROM prompt_defaults WHERE prompt_id = ?").run(promptId);
    })();
  }

  listVersions(promptId: string): ListPromptsResponse {
    const rows = this.db
      .prepare("SELECT * FROM prompt_versions WHERE prompt_id = ? ORDER BY version")
      .all(promptId) as VersionRow[];
    if (rows.length === 0) throw new InvalidValueError(`Prompt ${promptId} not found`);
    const defaultVersion = this.defaultVersion(promptId);
    return { data: rows.map((row) => fromRow(row, row.version === defaultVersion)) };
  }

  setDefaultVersion(promptId: string, version: number): Prompt {
    const row = this.versionRow(promptId, version);
    if (!row) throw new InvalidValueError(`Prompt ${promptId} version ${version} not found`);
    this.setDefaultPointer(promptId, version);
    return fromRow(row, false);
  }

  private insertVersion(p: Prompt): void {
    this.db
      .prepare("INSERT OR REPLACE INTO prompt_versions (prompt_id, version, prompt, variables) VALUES (?, ?, ?, ?)")
      .run(p.prompt_id, p.version, p.prompt, JSON.stringify(p.variables));
  }

  private setDefaultPointer(promptId: string, version: number): void {
    this.db
      .prepare("INSERT INTO prompt_defaults (prompt_id, version) VALUES (?, ?) ON CONFLICT(prompt_id) DO UPDATE SET version = excluded.version")
      .run(promptId, version);
  }

  private defaultVersion(promptId: string): number | undefined {
    const row = this.db.prepare("SELECT version FROM prompt_defaults WHERE prompt_id = ?").get(promptId) as
      | { version: number }
      | undefined;
    return row?.version;
  }

  private latestVersion(promptId: string): number | undefined {
    const row = this.db.prepare("SELECT MAX(version) AS v FROM prompt_versions WHERE prompt_id = ?").get(promptId) as {
      v: number | null;
    };
    return row.v ?? undefined;
  }

  private versionRow(promptId: string, version: number): VersionRow | undefined {
    return this.db
      .prepare("SELECT * FROM prompt_versions WHERE prompt_id = ? AND version = ?")
      .get(promptId, version) as VersionRow | undefined;
  }
}

/** Names used as `{{ name }}` in the text but missing from `variables`. */
export function undeclaredVariables(prompt: string, variables: readonly string[]): string[] {
  const declared = new Set(variables);
  const used = new Set([...prompt.matchAll(VARIABLE_PATTERN)].map((m) => m[1] as string));
  return [...used].filter((name) => !declared.has(name));
}

function buildPrompt(promptId: string, prompt: string, version: number, variables: string[]): Prompt {
  if (prompt) {
    const undeclared = undeclaredVariables(prompt, variables);
    if (undeclared.length > 0) throw new UndeclaredVariablesError(undeclared);
  }
  return { prompt, version, prompt_id: promptId, variables, is_default: false };
}

function fromRow(row: VersionRow, isDefault: boolean): Prompt {
  return {
    prompt: row.prompt,
    version: row.version,
    prompt_id: row.prompt_id,
    variables: JSON.parse(row.variables) as string[],
    is_default: isDefault,
  };
}
