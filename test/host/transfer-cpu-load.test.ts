/** A transfer's CPU in a host's samples: averaged over the 10 s window each sample covers. */
import { describe, expect, it } from 'vitest';
import { loadMhz } from '../../workers/host/vsfwd/resource-sampler';

describe('transfer CPU in the host samples', () => {
  const load = { from: 5_000, until: 15_000, mhz: 500, what: 'iperf' };
  it('counts the share of the window the load ran in', () => {
    expect(loadMhz([load], 10_000)).toBe(250);
    expect(loadMhz([load], 15_000)).toBe(500);
    expect(loadMhz([load], 20_000)).toBe(250);
    expect(loadMhz([load], 25_000)).toBe(0);
    expect(loadMhz([load], 5_000)).toBe(0);
    expect(loadMhz(undefined, 5_000)).toBe(0);
  });
  it('adds loads that overlap', () => {
    expect(loadMhz([load, { ...load, mhz: 10, from: 14_000, until: 17_000 }], 20_000)).toBe(250 + 3);
  });
});
