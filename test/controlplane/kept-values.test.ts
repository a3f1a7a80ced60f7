/** KeptValues: what a decoder shares between lines stays bounded and keeps what lines keep naming. */
import { describe, expect, it } from 'vitest';
import { KeptValues } from '../../workers/protocol/codec/kept-values';

describe('KeptValues', () => {
  it('keeps a value named again while thousands named once pass through, and holds at most twice its limit', () => {
    const kept = new KeptValues<string, { name: string }>(8);
    const hot = { name: 'ip-securitygroup-10' };
    kept.keep(hot.name, hot);
    for (let i = 0; i < 10_000; i++) {
      kept.keep(`10.${i}.0.0/24`, { name: `10.${i}.0.0/24` });
      if (i % 4 === 0) expect(kept.get(hot.name)).toBe(hot); // lines naming it again keep it
    }
    const still = [...Array(10_000).keys()].filter((i) => kept.get(`10.${i}.0.0/24`) !== undefined);
    expect(still.length).toBeLessThanOrEqual(16);
    expect(still.every((i) => i >= 10_000 - 16)).toBe(true); // named once, long ago: let go
  });

  it('a value found in the older map survives the next turn', () => {
    const kept = new KeptValues<number, string>(2);
    kept.keep(1, 'a');
    kept.keep(2, 'b');
    kept.keep(3, 'c'); // 1 and 2 are now the older map
    expect(kept.get(1)).toBe('a'); // moved to the newer
    kept.keep(4, 'd'); // the newer (3, 1) was full: it becomes the older
    kept.keep(5, 'e');
    expect(kept.get(1)).toBe('a');
    expect(kept.get(2)).toBeUndefined();
  });
});
