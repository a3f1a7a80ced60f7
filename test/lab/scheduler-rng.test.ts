import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../workers/lab/rng';
import { Scheduler } from '../../workers/lab/scheduler';

describe('scheduler and random source', () => {
  it('delivers in (time, send order) whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const s = new Scheduler<number>();
        times.forEach((t, i) => s.push(t, i));
        const out: [number, number][] = [];
        while (s.size) for (const e of s.popEarliest()) out.push([e.at, e.item]);
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected);
      }),
    );
  });

  it('a restored random stream continues exactly', () => {
    const a = Rng.derive(42, 'host-20');
    a.next();
    const b = new Rng(a.state());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(Array.from({ length: 5 }, () => a.next()));
    expect(Rng.derive(42, 'host-20').next()).not.toBe(Rng.derive(42, 'host-21').next());
  });
});
