import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findRepoRoot } from "@llama-stack-tests/setups";
import { describe, expect, it } from "vitest";
import type { ModelOptions } from "../src/options.js";
import { formatTestId, missingModelReason, modelCombinations, planCases } from "../src/test-ids.js";
import type { ClientVariant, ModelFixture, UpstreamTestSpec } from "../src/test-api.js";

const models = (over: Partial<ModelOptions> = {}): ModelOptions => ({
  text: [], vision: [], embedding: [], shield: [], judge: [], rerank: [], embeddingDimension: 768, ...over,
});

describe("planCases", () => {
  it("no parts: no brackets", () => {
    const [c] = planCases({ file: "tests/integration/files/test_files.py", name: "test_expires_after" }, models());
    expect(c!.testId).toBe("tests/integration/files/test_files.py::test_expires_after");
  });

  it("joins client, models (conftest order, ':'), cases with '-'", () => {
    const ids = planCases(
      {
        file: "tests/integration/x/test_y.py",
        name: "TestC::test_z",
        clients: ["openai_client", "client_with_models"],
        models: ["embedding_dimension", "embedding_model_id", "text_model_id"],
        cases: [{ id: "False", value: false }, { id: "True", value: true }],
      },
      models({ text: ["t1", "t2"], embedding: ["e"], vision: ["v"] }),
    ).map((c) => c.testId);
    expect(ids).toEqual([
      "tests/integration/x/test_y.py::TestC::test_z[openai_client-txt=t1:emb=e:dim=768-False]",
      "tests/integration/x/test_y.py::TestC::test_z[openai_client-txt=t1:emb=e:dim=768-True]",
      "tests/integration/x/test_y.py::TestC::test_z[openai_client-txt=t2:emb=e:dim=768-False]",
      "tests/integration/x/test_y.py::TestC::test_z[openai_client-txt=t2:emb=e:dim=768-True]",
      "tests/integration/x/test_y.py::TestC::test_z[client_with_models-txt=t1:emb=e:dim=768-False]",
      "tests/integration/x/test_y.py::TestC::test_z[client_with_models-txt=t1:emb=e:dim=768-True]",
      "tests/integration/x/test_y.py::TestC::test_z[client_with_models-txt=t2:emb=e:dim=768-False]",
      "tests/integration/x/test_y.py::TestC::test_z[client_with_models-txt=t2:emb=e:dim=768-True]",
    ]);
  });

  it("honours idOrder", () => {
    const [c] = planCases(
      { file: "f.py", name: "t", clients: ["openai_client"], models: ["text_model_id"], cases: [{ id: "a", value: 1 }], idOrder: ["cases", "client", "models"] },
      models({ text: ["m"] }),
    );
    expect(c!.testId).toBe("f.py::t[a-openai_client-txt=m]");
  });

  it("shortens only MODEL_SHORT_IDS values, and passes the full value to the test", () => {
    const [c] = planCases(
      { file: "f.py", name: "t", models: ["text_model_id", "embedding_model_id"] },
      models({ text: ["meta-llama/Llama-3.2-3B-Instruct"], embedding: ["nomic-ai/nomic-embed-text-v1.5"] }),
    );
    expect(c!.testId).toBe("f.py::t[txt=3B:emb=Nomic-v1.5]");
    expect(c!.models.text).toBe("meta-llama/Llama-3.2-3B-Instruct");
  });

  it("an unset model leaves its part out and marks the case missing, with the fix in the reason", () => {
    const [c] = planCases({ file: "f.py", name: "t", models: ["vision_model_id"] }, models({ text: ["m"] }));
    expect(c!.testId).toBe("f.py::t");
    expect(c!.missing).toEqual(["vision_model_id"]);
    expect(c!.models.text).toBe("m");
    expect(missingModelReason("vision_model_id", "ollama")).toBe("no vision_model_id set for setup ollama: pass --vision-model=...");
    expect(missingModelReason("shield_id", "gpt")).toBe("no shield_id set for setup gpt: pass --safety-shield=...");
  });

  it("models outside the spec resolve to each option's first value", () => {
    const [c] = planCases({ file: "f.py", name: "t", models: ["text_model_id"] }, models({ text: ["a", "b"], embedding: ["e1", "e2"], embeddingDimension: 64 }));
    expect(c!.models).toEqual({ text: "a", embedding: "e1", embeddingDimension: 64 });
  });

  it("modelCombinations is the cross product", () => {
    const combos = modelCombinations(["text_model_id", "shield_id"], models({ text: ["a", "b"], shield: ["s1", "s2"] }));
    expect(combos.map((c) => c.idPart)).toEqual(["txt=a:shield=s1", "txt=a:shield=s2", "txt=b:shield=s1", "txt=b:shield=s2"]);
  });

  it("formatTestId drops empty parts", () => {
    expect(formatTestId("f.py", "t", ["", "txt=m", ""])).toBe("f.py::t[txt=m]");
  });
});

// Real upstream ids, read from the reference recordings when present.
const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const upstreamDir = path.join(root, "../shared/llama-stack-upstream/tests/integration");

function upstreamIds(): string[] {
  const ids = new Set<string>();
  for (const api of fs.readdirSync(upstreamDir)) {
    const dir = path.join(upstreamDir, api, "recordings");
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) {
      if (!f.endsWith(".json")) continue;
      const id = (JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { test_id?: string | null }).test_id;
      if (id) ids.add(id);
    }
  }
  return [...ids].sort();
}

const PREFIX_TO_FIXTURE: Record<string, ModelFixture> = {
  txt: "text_model_id", vis: "vision_model_id", emb: "embedding_model_id", shield: "shield_id",
  judge: "judge_model_id", dim: "embedding_dimension", rerank: "rerank_model_id",
};
const PREFIX_TO_OPTION: Record<string, keyof Omit<ModelOptions, "embeddingDimension">> = {
  txt: "text", vis: "vision", emb: "embedding", shield: "shield", judge: "judge", rerank: "rerank",
};
/** Model values the upstream recordings were made with (model ids contain '-' and ':', so parsing needs them). */
const KNOWN_VALUES = [
  "ollama/llama3.2:3b-instruct-fp16", "ollama/llama3.2-vision:11b", "ollama/nomic-embed-text:v1.5", "vllm/Qwen/Qwen3-0.6B",
  "openai/gpt-4o", "openai/text-embedding-3-small", "sentence-transformers/nomic-ai/nomic-embed-text-v1.5", "llama-guard", "768", "1536",
].sort((a, b) => b.length - a.length);
const VARIANTS: ClientVariant[] = ["client_with_models", "openai_client", "llama_stack_client"];

interface ParsedId {
  spec: UpstreamTestSpec<undefined>;
  models: ModelOptions;
}

/** Splits an upstream id into the spec and model options that should rebuild it. */
function parseId(id: string): ParsedId {
  const [file, ...rest] = id.split("::");
  const full = rest.join("::");
  const bracket = full.indexOf("[");
  const name = bracket < 0 ? full : full.slice(0, bracket);
  let params = bracket < 0 ? "" : full.slice(bracket + 1, -1);
  const spec: UpstreamTestSpec<undefined> = { file: file!, name };
  const opts: ModelOptions = { text: ["other-a"], vision: ["other-b"], embedding: ["other-c"], shield: ["other-d"], judge: ["other-e"], rerank: ["other-f"], embeddingDimension: 768 };
  const variant = VARIANTS.find((v) => params === v || params.startsWith(`${v}-`));
  if (variant) {
    spec.clients = [variant];
    params = params.slice(variant.length + 1);
  }
  const fixtures: ModelFixture[] = [];
  for (;;) {
    const m = /^(txt|vis|emb|shield|judge|dim|rerank)=/.exec(params);
    if (!m) break;
    const prefix = m[1]!;
    params = params.slice(m[0].length);
    const value = KNOWN_VALUES.find((v) => params === v || params.startsWith(`${v}-`) || params.startsWith(`${v}:`));
    if (!value) throw new Error(`unknown model value in ${id}`);
    fixtures.push(PREFIX_TO_FIXTURE[prefix]!);
    if (prefix === "dim") opts.embeddingDimension = Number(value);
    else opts[PREFIX_TO_OPTION[prefix]!] = [value];
    params = params.slice(value.length).replace(/^[:-]/, "");
  }
  if (fixtures.length) spec.models = fixtures.reverse(); // any order: conftest's order builds the id
  if (params) spec.cases = [{ id: params, value: undefined }];
  return { spec, models: opts };
}

describe("real upstream test ids", () => {
  const present = fs.existsSync(upstreamDir);
  const ids = present ? upstreamIds() : [];

  it("there are at least 50 of them", (ctx) => {
    if (!present) ctx.skip(`upstream reference recordings absent at ${upstreamDir}`);
    expect(ids.length).toBeGreaterThanOrEqual(50);
  });

  it.each(ids)("rebuilds %s", (id) => {
    const { spec, models: opts } = parseId(id);
    const planned = planCases(spec, opts);
    expect(planned.map((p) => p.testId)).toEqual([id]);
  });
});
