/**
 * Opt-in URL mirror for user-supplied URLs the stack fetches itself (image parts it inlines): a URL that
 * starts with a configured prefix is fetched from the replacement prefix instead. Tests use it to serve
 * upstream's test data (raw.githubusercontent.com) from loopback; unset, every URL is fetched as given.
 */

export const URL_MIRRORS_ENV = "LLAMA_STACK_URL_MIRRORS";

const EXPECTED_SHAPE =
  'a JSON object of URL prefix -> replacement prefix, e.g. {"https://example.com/data/": "http://127.0.0.1:8080/"}';

export interface UrlMirror {
  /** Absolute http(s) URL prefix matched against the start of a URL. */
  from: string;
  /** Absolute http(s) URL prefix that replaces `from`. */
  to: string;
}

export class UrlMirrorsError extends Error {
  constructor(problem: string) {
    super(`Invalid ${URL_MIRRORS_ENV}: ${problem}. Expected ${EXPECTED_SHAPE}, or leave it unset.`);
    this.name = "UrlMirrorsError";
  }
}

function requireHttpUrl(value: unknown, role: string): string {
  if (typeof value !== "string") throw new UrlMirrorsError(`${role} ${JSON.stringify(value)} is not a string`);
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new UrlMirrorsError(`${role} ${JSON.stringify(value)} is not an absolute URL`);
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new UrlMirrorsError(`${role} ${JSON.stringify(value)} is not an http(s) URL`);
  }
  return value;
}

/** The mirrors a variable's value names; unset or empty means none (as with the run config's env). */
export function parseUrlMirrors(raw: string | undefined): UrlMirror[] {
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new UrlMirrorsError(`not JSON (${(err as Error).message})`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UrlMirrorsError(`${JSON.stringify(parsed)} is not a JSON object`);
  }
  return Object.entries(parsed).map(([from, to]) => ({
    from: requireHttpUrl(from, "prefix"),
    to: requireHttpUrl(to, `replacement for ${from}`),
  }));
}

/** `url` with the longest matching prefix replaced; unchanged when none matches. */
export function mirrorUrl(url: string, mirrors: readonly UrlMirror[]): string {
  let best: UrlMirror | undefined;
  for (const mirror of mirrors) {
    if (url.startsWith(mirror.from) && mirror.from.length > (best?.from.length ?? -1)) best = mirror;
  }
  return best ? best.to + url.slice(best.from.length) : url;
}

// One stack per process (the CLI); set when the stack's config is loaded.
let active: readonly UrlMirror[] = [];

/** Reads the variable from the stack's env at startup; an invalid value throws UrlMirrorsError. */
export function configureUrlMirrors(env: NodeJS.ProcessEnv): void {
  active = parseUrlMirrors(env[URL_MIRRORS_ENV]);
}

/** Where the stack fetches a user-supplied URL from. */
export function outboundUrl(url: string): string {
  return mirrorUrl(url, active);
}
