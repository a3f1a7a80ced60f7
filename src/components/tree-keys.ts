/**
 * Keys on a node of an inventory tree (the WAI-ARIA tree pattern), for both trees: Enter and
 * Space select the node; arrows, Home and End move. Returns the node focus moves to, if any.
 */
export function treeKey(e: KeyboardEvent, order: readonly string[], moid: string, select?: (moid: string) => void): string | undefined {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    select?.(moid);
    return undefined;
  }
  const i = order.indexOf(moid);
  const moves: Record<string, string | undefined> = { ArrowDown: order[i + 1], ArrowUp: order[i - 1], Home: order[0], End: order.at(-1) };
  if (!(e.key in moves)) return undefined;
  e.preventDefault();
  return moves[e.key];
}
