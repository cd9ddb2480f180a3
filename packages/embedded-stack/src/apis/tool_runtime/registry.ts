/**
 * Tool groups (SQLite) and the tools their MCP servers list, cached per group as upstream's routing
 * table caches them: listed on first use, found by name for invocation.
 */
import type { Database } from "better-sqlite3";
import { InvalidValueError, resourceNotFound } from "../../server/errors.js";

export interface ToolGroup {
  identifier: string;
  provider_resource_id: string;
  provider_id: string;
  type: "tool_group";
  owner: null;
  source: "via_register_api";
  mcp_endpoint: { uri: string } | null;
  args: Record<string, unknown> | null;
}

export interface ToolDef {
  toolgroup_id: string | null;
  name: string;
  description: string | null;
  input_schema: Record<string, unknown> | null;
  output_schema: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
}

export interface RegisterToolGroupInput {
  toolgroup_id: string;
  provider_id: string;
  mcp_endpoint?: { uri: string } | null;
  args?: Record<string, unknown> | null;
}

export function toolGroupNotFound(id: string): Error {
  return resourceNotFound(id, "Tool Group", "client.toolgroups.list()");
}

export class ToolGroupRegistry {
  private readonly toolsByGroup = new Map<string, ToolDef[]>();
  private readonly groupOfTool = new Map<string, string>();

  constructor(
    private readonly db: Database,
    private readonly providerIds: string[],
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS registry_toolgroups (identifier TEXT PRIMARY KEY, data TEXT NOT NULL, seq INTEGER NOT NULL)`);
  }

  register(input: RegisterToolGroupInput): void {
    if (!this.providerIds.includes(input.provider_id)) throw new InvalidValueError(`Provider \`${input.provider_id}\` not found`);
    if (!input.mcp_endpoint) {
      throw new InvalidValueError(`Tool group ${input.toolgroup_id} needs an mcp_endpoint: only MCP tool groups are served`);
    }
    const group: ToolGroup = {
      identifier: input.toolgroup_id,
      provider_resource_id: input.toolgroup_id,
      provider_id: input.provider_id,
      type: "tool_group",
      owner: null,
      source: "via_register_api",
      mcp_endpoint: input.mcp_endpoint,
      args: input.args ?? null,
    };
    this.db
      .prepare(
        `INSERT INTO registry_toolgroups (identifier, data, seq) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM registry_toolgroups))
         ON CONFLICT(identifier) DO UPDATE SET data = excluded.data`,
      )
      .run(group.identifier, JSON.stringify(group));
    this.forgetTools(group.identifier);
  }

  get(id: string): ToolGroup {
    const row = this.db.prepare("SELECT data FROM registry_toolgroups WHERE identifier = ?").get(id) as { data: string } | undefined;
    if (!row) throw toolGroupNotFound(id);
    return JSON.parse(row.data) as ToolGroup;
  }

  list(): ToolGroup[] {
    const rows = this.db.prepare("SELECT data FROM registry_toolgroups ORDER BY seq").all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as ToolGroup);
  }

  unregister(id: string): void {
    this.get(id);
    this.db.prepare("DELETE FROM registry_toolgroups WHERE identifier = ?").run(id);
    this.forgetTools(id);
  }

  cachedTools(groupId: string): ToolDef[] | undefined {
    return this.toolsByGroup.get(groupId);
  }

  cacheTools(groupId: string, tools: ToolDef[]): void {
    this.toolsByGroup.set(groupId, tools);
    for (const tool of tools) this.groupOfTool.set(tool.name, groupId);
  }

  /** A tool listed earlier, by name; upstream answers an unknown one with a ValueError. */
  tool(name: string): ToolDef {
    const groupId = this.groupOfTool.get(name);
    const found = groupId ? this.toolsByGroup.get(groupId)?.find((t) => t.name === name) : undefined;
    if (!found) throw new InvalidValueError(`Tool '${name}' not found`);
    return found;
  }

  private forgetTools(groupId: string): void {
    for (const tool of this.toolsByGroup.get(groupId) ?? []) this.groupOfTool.delete(tool.name);
    this.toolsByGroup.delete(groupId);
  }
}
