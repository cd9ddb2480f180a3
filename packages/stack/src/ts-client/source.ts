import fs from "node:fs";
import path from "node:path";
import { OptionsError } from "../errors.js";

export const TS_CLIENT_PATH_ENV = "TS_CLIENT_PATH";
/** The project's own client test project: what an npm version spec or an SDK path is installed into. */
export const OWN_CLIENT_TESTS_DIR = path.join("packages", "client-typescript-tests");
export const CLIENT_PACKAGE = "llama-stack-client";

/** What TS_CLIENT_PATH names. */
export type TsClientSource =
  /** A client test project (package.json and suites.json), run in place. */
  | { kind: "project"; dir: string }
  /**
   * A llama-stack-client to install (npm version spec, SDK checkout or tarball) into a copy of the own
   * project; a checkout is built first (`checkout` is its directory), as upstream's script does.
   */
  | { kind: "client"; installSpec: string; label: string; checkout?: string };

// An npm version or range (0.7.3, ^0.3.0, ~0.2, >=0.3 <0.8, 0.3.x) or the tag latest; any other word
// is more likely a mistyped directory than a dist-tag.
const VERSION_SPEC = /^(?:(?:[\^~]|[<>]=?|=)?\s*v?\d+(?:\.(?:\d+|x|\*))*(?:-[\w.]+)?\s*)+$|^latest$/i;

/**
 * Resolves TS_CLIENT_PATH as upstream's scripts/integration-tests.sh does (a path or an npm version of
 * the client), extended so the path may also be a whole client test project with its own suites.json.
 */
export function parseTsClientPath(value: string, cwd: string): TsClientSource {
  const raw = value.trim();
  const abs = path.resolve(cwd, raw);
  const stat = raw === "" ? undefined : fs.statSync(abs, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    const pkgFile = path.join(abs, "package.json");
    if (!fs.existsSync(pkgFile)) {
      throw new OptionsError(`${TS_CLIENT_PATH_ENV}=${raw}: the directory has no package.json; it must be a client test project (package.json and suites.json) or a ${CLIENT_PACKAGE} checkout`);
    }
    if (fs.existsSync(path.join(abs, "suites.json"))) return { kind: "project", dir: abs };
    const name = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { name?: string }).name;
    if (name === CLIENT_PACKAGE) return { kind: "client", installSpec: abs, label: `${CLIENT_PACKAGE} from ${raw}`, checkout: abs };
    throw new OptionsError(`${TS_CLIENT_PATH_ENV}=${raw}: the directory has no suites.json and is not a ${CLIENT_PACKAGE} checkout (its package is '${name ?? "unnamed"}')`);
  }
  if (stat?.isFile() && /\.tgz$/.test(abs)) return { kind: "client", installSpec: abs, label: `${CLIENT_PACKAGE} from ${raw}` };
  if (raw !== "" && !raw.includes("/") && VERSION_SPEC.test(raw)) {
    return { kind: "client", installSpec: `${CLIENT_PACKAGE}@${raw}`, label: `${CLIENT_PACKAGE}@${raw}` };
  }
  throw new OptionsError(
    `${TS_CLIENT_PATH_ENV}='${raw}' is neither a directory, a .tgz nor an npm version of ${CLIENT_PACKAGE}: ` +
      `pass a client test project (with suites.json), a ${CLIENT_PACKAGE} checkout or tarball, or a version such as 0.7.3`,
  );
}
