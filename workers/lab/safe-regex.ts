/**
 * Regular expressions written by users (scenario `matches` goals, security-group `similar_to`
 * criteria) run in RE2JS, a port of RE2: matching time grows linearly with the text, so a
 * pattern such as `(.*.*.*.*)*Z` that makes a backtracking engine run for ever answers at once.
 * RE2 has no backreferences or lookaround; a pattern that needs them is refused with RE2's
 * reason, before anything is stored.
 */
import { RE2JS } from 're2js';

/** Longest pattern a user may give (the scenario format's own limit is the same). */
const MAX_PATTERN_LENGTH = 500;
/** Text past this length is matched on its first MAX_SUBJECT_LENGTH characters only. */
const MAX_SUBJECT_LENGTH = 1_000_000;

interface SafeRegex {
  readonly source: string;
  /** Unanchored search, like `RegExp.prototype.test`. */
  test(text: string): boolean;
}

type SafeRegexResult = { ok: true; regex: SafeRegex } | { ok: false; message: string };

interface SafeRegexOptions {
  /** `^` and `$` match at line breaks (as the `m` flag). */
  multiline?: boolean;
  caseInsensitive?: boolean;
}

const cache = new Map<string, SafeRegexResult>();
const CACHE_SIZE = 256;

export function compileSafeRegex(source: string, options: SafeRegexOptions = {}): SafeRegexResult {
  const key = `${options.multiline ? 'm' : ''}${options.caseInsensitive ? 'i' : ''}/${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = compile(source, options);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return result;
}

function compile(source: string, options: SafeRegexOptions): SafeRegexResult {
  if (typeof source !== 'string') return { ok: false, message: 'a regular expression must be text' };
  if (source.length > MAX_PATTERN_LENGTH) return { ok: false, message: `a regular expression may have at most ${MAX_PATTERN_LENGTH} characters (this one has ${source.length})` };
  const flags = (options.multiline ? RE2JS.MULTILINE : 0) | (options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  try {
    const compiled = RE2JS.compile(source, flags);
    return {
      ok: true,
      regex: { source, test: (text: string) => compiled.test(text.length > MAX_SUBJECT_LENGTH ? text.slice(0, MAX_SUBJECT_LENGTH) : text) },
    };
  } catch (err) {
    const reason = (err as Error).message.replace(/^error parsing regexp: /, '');
    const shown = source.length > 80 ? `${source.slice(0, 80)}…` : source;
    return { ok: false, message: `not a valid regular expression for the lab's linear-time engine: ${JSON.stringify(shown)} (${reason}; backreferences and lookaround are not supported)` };
  }
}

/** The reason a pattern is refused, or undefined when it compiles. */
export function safeRegexError(source: string, options: SafeRegexOptions = {}): string | undefined {
  const r = compileSafeRegex(source, options);
  return r.ok ? undefined : r.message;
}
