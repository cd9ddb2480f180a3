/**
 * `${env.X}`, `${env.X:=default}` and `${env.X:+value_if_set}` substitution over a parsed run config,
 * with upstream's semantics (llama_stack/core/stack.py replace_env_vars): empty counts as unset, a
 * substituted string is converted to null/bool/int/float, and providers whose id resolves to
 * `__disabled__` are dropped.
 */

export class EnvVarError extends Error {
  constructor(
    readonly varName: string,
    readonly path: string,
  ) {
    super(
      `Environment variable '${varName}' not set or empty${path ? ` at ${path}` : ""}. ` +
        `Use \${env.${varName}:=default_value} to provide a default value, ` +
        `\${env.${varName}:+value_if_set} to make the field conditional, or set the environment variable.`,
    );
    this.name = "EnvVarError";
  }
}

const PATTERN = /\$\{env\.([A-Z0-9_]+)(?::([=+])([^}]*))?\}/g;

function convertScalar(value: string): unknown {
  if (value === "") return null;
  const lowered = value.toLowerCase();
  if (lowered === "true") return true;
  if (lowered === "false") return false;
  if (/^[+-]?\d+$/.test(value.trim())) return Number.parseInt(value, 10);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return Number.parseFloat(value);
  return value;
}

function substituteString(text: string, env: NodeJS.ProcessEnv, path: string): unknown {
  const result = text.replace(PATTERN, (_match, name: string, operator: string | undefined, expr: string | undefined) => {
    const value = env[name];
    if (operator === "=") return value ? value : (expr ?? "");
    if (operator === "+") return value ? (expr ?? "") : "";
    if (!value) throw new EnvVarError(name, path);
    return value;
  });
  return result === text ? text : convertScalar(result);
}

export function replaceEnvVars(config: unknown, env: NodeJS.ProcessEnv, path = ""): unknown {
  if (typeof config === "string") return substituteString(config, env, path);
  if (Array.isArray(config)) {
    const out: unknown[] = [];
    config.forEach((item, index) => {
      const itemPath = `${path}[${index}]`;
      if (item && typeof item === "object" && "provider_id" in item) {
        const id = replaceEnvVars((item as { provider_id: unknown }).provider_id, env, `${itemPath}.provider_id`);
        if (id === "__disabled__") return;
      }
      out.push(replaceEnvVars(item, env, itemPath));
    });
    return out;
  }
  if (config && typeof config === "object") {
    return Object.fromEntries(
      Object.entries(config).map(([key, value]) => [key, replaceEnvVars(value, env, path ? `${path}.${key}` : key)]),
    );
  }
  return config;
}
