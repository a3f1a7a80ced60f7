/**
 * How a rule list was made from the one before it: its first `head` and last `tail` lines are
 * that list's very objects, and only the lines between are new. vsfwd's decoder records it for
 * every list it builds from an earlier one, so the kernel can compare, count and install a
 * one-rule edit by the lines that changed instead of walking all 10k (in 64 host isolates, where
 * such a walk runs cold). Lists are immutable, so the record stays true while both live. The
 * earlier list is held weakly: a chain of edits must not keep every list before it alive. What
 * is derived from a change must not depend on whether it is still known (the same answer, more
 * slowly, without it).
 */
interface ListChange<T> {
  readonly base: readonly T[];
  readonly head: number;
  readonly tail: number;
}

const changes = new WeakMap<readonly unknown[], { base: WeakRef<readonly unknown[]>; head: number; tail: number }>();

/** Records that `lines` is `base` with lines [head, base.length - tail) replaced (by lines [head, lines.length - tail)). */
export function recordListChange<T>(lines: readonly T[], base: readonly T[], head: number, tail: number): void {
  if (lines === base || head + tail > Math.min(lines.length, base.length)) return;
  changes.set(lines, { base: new WeakRef(base), head, tail });
}

/** How `lines` was made from an earlier list, when its decoder knows and that list is still alive. */
export function listChange<T>(lines: readonly T[]): ListChange<T> | undefined {
  const c = changes.get(lines);
  const base = c?.base.deref();
  return c && base ? { base: base as readonly T[], head: c.head, tail: c.tail } : undefined;
}
