import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PromptsService, undeclaredVariables } from "../src/apis/prompts/service.js";

let db: Database.Database;
let prompts: PromptsService;
let n: number;

beforeEach(() => {
  db = new Database(":memory:");
  n = 0;
  prompts = new PromptsService({ db, mintId: (kind) => `${kind}_${String(++n).padStart(48, "0")}` });
});
afterEach(() => db.close());

describe("PromptsService", () => {
  it("creates version 1 as default with a pmpt_ id of 48 hex chars by default", () => {
    const real = new PromptsService({ db });
    const p = real.create("Hello {{ name }}", ["name"]);
    expect(p.prompt_id).toMatch(/^pmpt_[0-9a-f]{48}$/);
    expect(p).toMatchObject({ version: 1, variables: ["name"], is_default: false, prompt: "Hello {{ name }}" });
    expect(real.listVersions(p.prompt_id).data.map((v) => v.is_default)).toEqual([true]);
  });

  it("rejects undeclared variables with upstream's message", () => {
    expect(() => prompts.create("Hi {{ b }} {{a}}", [])).toThrow("Prompt contains undeclared variables: ['a', 'b']");
    expect(undeclaredVariables("{{x}} {{ y }} {{x}}", ["y"])).toEqual(["x"]);
  });

  it("updates only from the latest version and moves the default unless told not to", () => {
    const p = prompts.create("v1", null);
    const v2 = prompts.update(p.prompt_id, "v2", 1, ["x"]);
    expect(v2.version).toBe(2);
    expect(prompts.get(p.prompt_id).prompt).toBe("v2");
    expect(() => prompts.update(p.prompt_id, "v3", 1, [])).toThrow(
      `Invalid value: '1' is not the latest prompt version for prompt_id='${p.prompt_id}'. Use the latest version '2' in request.`,
    );
    prompts.update(p.prompt_id, "v3", 2, [], false);
    expect(prompts.get(p.prompt_id).version).toBe(2);
    expect(prompts.get(p.prompt_id, 3).prompt).toBe("v3");
    expect(prompts.listVersions(p.prompt_id).data.map((v) => [v.version, v.is_default])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(() => prompts.update(p.prompt_id, "x", 0, [])).toThrow("Invalid value: Version must be >= 1");
    expect(() => prompts.update("pmpt_missing", "x", 1, [])).toThrow("Invalid value: Prompt pmpt_missing not found");
  });

  it("sets the default version and reports missing versions", () => {
    const p = prompts.create("v1", []);
    prompts.update(p.prompt_id, "v2", 1, []);
    expect(prompts.setDefaultVersion(p.prompt_id, 1).version).toBe(1);
    expect(prompts.get(p.prompt_id).prompt).toBe("v1");
    expect(() => prompts.setDefaultVersion(p.prompt_id, 9)).toThrow(`Prompt ${p.prompt_id} version 9 not found`);
    expect(() => prompts.get(p.prompt_id, 9)).toThrow(`Invalid value: Prompt ${p.prompt_id}:9 not found`);
    expect(() => prompts.get("pmpt_nope")).toThrow("Invalid value: Prompt pmpt_nope:default not found");
  });

  it("lists default versions by id descending and deletes all versions", () => {
    const a = prompts.create("a", []);
    const b = prompts.create("b", []);
    prompts.update(a.prompt_id, "a2", 1, []);
    expect(prompts.list().data.map((p) => [p.prompt_id, p.version])).toEqual([
      [b.prompt_id, 1],
      [a.prompt_id, 2],
    ]);
    prompts.delete(a.prompt_id);
    expect(prompts.list().data.map((p) => p.prompt_id)).toEqual([b.prompt_id]);
    expect(() => prompts.listVersions(a.prompt_id)).toThrow(`Prompt ${a.prompt_id} not found`);
    expect(() => prompts.delete(a.prompt_id)).toThrow(`Prompt ${a.prompt_id}:default not found`);
  });
});
