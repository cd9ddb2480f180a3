/**
 * Python `re` patterns (scoring parameters are written for Python) as JavaScript RegExps: leading
 * inline flags, named groups and the \A / \Z anchors are translated; the rest of the syntax both share.
 */
import { InvalidValueError } from "../../server/errors.js";

const INLINE_FLAGS: Record<string, string> = { i: "i", m: "m", s: "s" };

export function pythonRegex(pattern: string): RegExp {
  let source = pattern;
  let flags = "";
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (leading) {
    for (const flag of leading[1] as string) {
      const js = INLINE_FLAGS[flag];
      if (js === undefined) throw new InvalidValueError(`Unsupported inline regex flag '${flag}' in ${pattern}`);
      if (!flags.includes(js)) flags += js;
    }
    source = source.slice(leading[0].length);
  }
  source = source
    .replace(/\(\?P<(\w+)>/g, "(?<$1>")
    .replace(/\(\?P=(\w+)\)/g, "\\k<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\Z/g, "$(?![\\s\\S])");
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new InvalidValueError(`Invalid regex ${pattern}: ${(err as Error).message}`);
  }
}

/** re.search(pattern, text).group(1), or null when nothing matches. */
export function firstGroup(pattern: string, text: unknown): string | null {
  if (typeof text !== "string") throw new TypeError(`expected string or bytes-like object, got ${text === null ? "NoneType" : typeof text}`);
  const match = pythonRegex(pattern).exec(text);
  if (!match) return null;
  return match[1] ?? null;
}
