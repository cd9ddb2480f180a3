import { RepoToolsError } from "./errors.js";

const begin = (name: string) => new RegExp(`^([ \\t]*)# BEGIN GENERATED ${name}\\b.*$`, "m");
const end = (name: string) => new RegExp(`^[ \\t]*# END GENERATED ${name}$`, "m");

/**
 * Replaces the lines between `# BEGIN GENERATED <name>` and `# END GENERATED <name>` (comment markers
 * valid in YAML and shell), indenting the new lines as the BEGIN line is.
 */
export function replaceBlock(text: string, name: string, lines: readonly string[], file: string): string {
  const b = begin(name).exec(text);
  const e = end(name).exec(text);
  if (!b || !e || e.index < b.index) {
    throw new RepoToolsError(`${file} has no '# BEGIN GENERATED ${name}' ... '# END GENERATED ${name}' block: restore the markers from git`);
  }
  const indent = b[1]!;
  const startOfBody = b.index + b[0].length + 1;
  const body = lines.map((l) => (l === "" ? "" : `${indent}${l}`)).join("\n");
  return `${text.slice(0, startOfBody)}${body}${body ? "\n" : ""}${text.slice(e.index)}`;
}
