import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOLSETS } from "../src/index.js";

/** Upstream's recordings show the tool definitions its MCP server produced, as the stack sent them to models. */
const repoRoot = path.resolve(import.meta.dirname, "../../..");
const upstream = path.resolve(repoRoot, "../shared/llama-stack-upstream/tests/integration");

interface RecordedFunction {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}

function recordedMcpFunctions(): Map<string, RecordedFunction> {
  const found = new Map<string, RecordedFunction>();
  for (const api of readdirSync(upstream)) {
    const dir = path.join(upstream, api, "recordings");
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, file), "utf8");
      if (!text.includes('Arguments"')) continue;
      const tools = (JSON.parse(text).request?.body?.tools ?? []) as { function?: RecordedFunction }[];
      for (const t of tools) {
        const title = t.function?.parameters?.title;
        if (typeof title === "string" && title.endsWith("Arguments")) found.set(t.function!.name, t.function!);
      }
    }
  }
  return found;
}

describe.skipIf(!existsSync(upstream))("tool definitions match upstream's recorded ones", () => {
  const recorded = existsSync(upstream) ? recordedMcpFunctions() : new Map<string, RecordedFunction>();
  const ours = new Map(Object.values(TOOLSETS).flat().map((t) => [t.name, t]));

  it("finds the recorded MCP tools", () => {
    expect([...recorded.keys()].sort()).toEqual(
      expect.arrayContaining(["check_file_access", "get_boiling_point", "get_user_id", "greet_everyone", "calculate"]),
    );
  });

  it("has identical names, descriptions and parameters (key order included)", () => {
    for (const [name, fn] of recorded) {
      const tool = ours.get(name);
      expect(tool, name).toBeDefined();
      expect(JSON.stringify(tool!.inputSchema), name).toBe(JSON.stringify(fn.parameters));
      // The stack drops empty descriptions for some paths; compare only when recorded non-empty.
      if (fn.description) expect(tool!.description, name).toBe(fn.description);
    }
  });
});
