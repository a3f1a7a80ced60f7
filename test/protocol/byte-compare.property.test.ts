import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonPrefix, commonSuffix, equalBytes } from '../../workers/protocol/codec/byte-compare';

function naivePrefix(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function naiveSuffix(a: Uint8Array, b: Uint8Array, limit: number): number {
  let k = 0;
  while (k < limit && k < a.length && k < b.length && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
  return k;
}

/** Two byte strings that share a start and an end, each at any offset of a larger buffer (so word alignment varies). */
const pair = fc
  .record({ shared: fc.uint8Array({ maxLength: 64 }), tail: fc.uint8Array({ maxLength: 64 }), midA: fc.uint8Array({ maxLength: 12 }), midB: fc.uint8Array({ maxLength: 12 }), offA: fc.nat(7), offB: fc.nat(7) })
  .map(({ shared, tail, midA, midB, offA, offB }) => {
    const place = (parts: Uint8Array[], off: number) => {
      const len = parts.reduce((n, p) => n + p.length, 0);
      const buf = new Uint8Array(off + len + 5);
      let at = off;
      for (const p of parts) {
        buf.set(p, at);
        at += p.length;
      }
      return buf.subarray(off, off + len);
    };
    return [place([shared, midA, tail], offA), place([shared, midB, tail], offB)] as const;
  });

describe('byte comparison by words', () => {
  it('finds the same common prefix and suffix as a byte loop, at any alignment', () => {
    fc.assert(
      fc.property(pair, fc.nat(200), ([a, b], limit) => {
        expect(commonPrefix(a, b)).toBe(naivePrefix(a, b));
        expect(commonSuffix(a, b)).toBe(naiveSuffix(a, b, Infinity));
        expect(commonSuffix(a, b, limit)).toBe(naiveSuffix(a, b, limit));
        expect(equalBytes(a, b)).toBe(a.length === b.length && naivePrefix(a, b) === a.length);
      }),
      { numRuns: 2000 },
    );
  });
});
