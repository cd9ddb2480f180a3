import { OptionsError } from "./errors.js";

/** Where the tests find their stack, from --stack-config / LLAMA_STACK_TEST_STACK_CONFIG. */
export type StackTarget =
  /** The TypeScript embedded stack, started on a free port behind the recording proxy. */
  | { kind: "embedded" }
  /** A Python Llama Stack started with `llama stack run <config> --port <port>` (or reused when healthy). */
  | { kind: "server"; config: string; port: number }
  /** An already running stack. */
  | { kind: "url"; baseUrl: string };

export const DEFAULT_PORT = 8321;
export const DEFAULT_STACK_CONFIG = "embedded";

export const VALID_STACK_CONFIG_FORMS = [
  "embedded (default: the TypeScript embedded stack)",
  "server:<config> (llama stack run <config> on port $LLAMA_STACK_PORT or 8321)",
  "server:<config>:<port>",
  "server:<distro>::<run-file.yaml>",
  "http(s)://host:port (an already running stack)",
];

function invalid(raw: string, problem: string): OptionsError {
  return new OptionsError(
    `--stack-config=${raw}: ${problem}. Valid forms:\n  ${VALID_STACK_CONFIG_FORMS.join("\n  ")}`,
  );
}

function parsePort(raw: string, text: string): number {
  if (!/^\d+$/.test(text)) throw invalid(raw, `port '${text}' is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw invalid(raw, `port ${port} is outside 1-65535`);
  return port;
}

/** Parses every upstream --stack-config form (tests/integration/fixtures/common.py). */
export function parseStackConfig(raw: string | undefined, env: NodeJS.ProcessEnv = process.env): StackTarget {
  const value = (raw ?? "").trim();
  if (value === "" || value === DEFAULT_STACK_CONFIG) return { kind: "embedded" };

  const envPort = () => (env.LLAMA_STACK_PORT ? parsePort(raw ?? "", env.LLAMA_STACK_PORT) : DEFAULT_PORT);

  if (value.startsWith("server:")) {
    const rest = value.slice("server:".length);
    if (rest.includes("::")) {
      // distro::run-file: the whole thing is the config name; the port comes from the env.
      const [distro, file] = rest.split("::", 2);
      if (!distro || !file) throw invalid(value, "server:<distro>::<run-file.yaml> needs both a distro and a file");
      return { kind: "server", config: rest, port: envPort() };
    }
    const parts = rest.split(":");
    const config = parts[0];
    if (!config) throw invalid(value, "server: needs a config name, e.g. server:starter");
    if (parts.length > 2) throw invalid(value, "too many ':' (use server:<config>:<port>)");
    const port = parts[1] !== undefined ? parsePort(value, parts[1]) : envPort();
    return { kind: "server", config, port };
  }

  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw invalid(value, "not a valid URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid(value, `URL scheme ${url.protocol} is not http or https`);
    return { kind: "url", baseUrl: value.replace(/\/+$/, "") };
  }

  if (value.startsWith("docker:")) {
    throw invalid(value, "docker: stacks are not supported here; start the container yourself and pass its URL");
  }

  // What remains is upstream's library-client forms: a distro name, a run.yaml path or an
  // ad-hoc spec (inference=...). They run Llama Stack in-process, which needs Python.
  const kind = value.includes("=") ? "an ad-hoc provider spec" : /\.ya?ml$/.test(value) ? "a run.yaml path" : "a distro name";
  throw invalid(
    value,
    `${kind} selects Llama Stack's Python library client, which TypeScript cannot host; use server:${value.includes("=") ? "<config>" : value} to run it with \`llama stack run\`, or embedded`,
  );
}
