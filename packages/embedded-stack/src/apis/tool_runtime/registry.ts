/**
 * Tool groups (SQLite) and the tools their MCP servers list, cached per group as upstream's routing
 * table caches them: listed on first use, found by name for invocation.
 */
import type { Database } from "better-sqlite3";
import type { ProviderConfig, ToolGroupInput } from "../../config/types.js";
import { InvalidValueError, resourceNotFound } from "../../server/errors.js";
import { TAVILY_PROVIDER_TYPE } from "./web-search.js";

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

export type RegisterToolGroupInput = ToolGroupInput;

export function toolGroupNotFound(id: string): Error {
  return resourceNotFound(id, "Tool Group", "client.toolgroups.list()");
}

export class ToolGroupRegistry {
  private readonly toolsByGroup = new Map<string, ToolDef[]>();
  private readonly groupOfTool = new Map<string, string>();

  constructor(
    private readonly db: Database,
    private readonly providers: ProviderConfig[],
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS registry_toolgroups (identifier TEXT PRIMARY KEY, data TEXT NOT NULL, seq INTEGER NOT NULL)`);
  }

  /** Registers the run config's tool groups (again on every start, as upstream does). */
  start(configGroups: ToolGroupInput[]): void {
    for (const group of configGroups) if (this.provider(group.provider_id)) this.register(group);
  }

  provider(providerId: string): ProviderConfig | undefined {
    return this.providers.find((p) => p.provider_id === providerId);
  }

  register(input: RegisterToolGroupInput): void {
    const provider = this.provider(input.provider_id);
    if (!provider) throw new InvalidValueError(`Provider \`${input.provider_id}\` not found`);
    if (!input.mcp_endpoint && provider.provider_type !== TAVILY_PROVIDER_TYPE) {
      throw new InvalidValueError(`Tool group ${input.toolgroup_id} needs an mcp_endpoint: only MCP tool groups are served`);
    }
    const group: ToolGroup = {
      identifier: input.toolgroup_id,
      provider_resource_id: input.toolgroup_id,
      provider_id: input.provider_id,
      type: "tool_group",
      owner: null,
      source: "via_register_api",
      mcp_endpoint: input.mcp_endpoint ?? null,
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
    const found = this.cachedTool(name);
    if (!found) throw new InvalidValueError(`Tool '${name}' not found`);
    return found;
  }

  cachedTool(name: string): ToolDef | undefined {
    const groupId = this.groupOfTool.get(name);
    return groupId ? this.toolsByGroup.get(groupId)?.find((t) => t.name === name) : undefined;
  }

  private forgetTools(groupId: string): void {
    for (const tool of this.toolsByGroup.get(groupId) ?? []) this.groupOfTool.delete(tool.name);
    this.toolsByGroup.delete(groupId);
  }
}
