/** The throughput model of seeds 001/004: what the bridge VM and the kernel DFW cost and carry. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bridgeThroughput, planTransfer, UPLINK_GOODPUT, MB, dfwCpuMhz } from '../../workers/fabric/bridge/throughput';

describe('bridge VM throughput', () => {
  it("follows the seed's measurements: 3.5 MB/s at 500 MHz, 7 at 1 GHz, the 100 Mbit/s uplink from about 1.7 GHz", () => {
    expect(bridgeThroughput(500) / MB).toBeCloseTo(3.5, 6);
    expect(bridgeThroughput(1000) / MB).toBeCloseTo(7, 6);
    expect(bridgeThroughput(1600) / MB).toBeCloseTo(11.2, 6);
    expect(bridgeThroughput(2600)).toBe(UPLINK_GOODPUT);
    expect(UPLINK_GOODPUT / MB).toBeCloseTo(11.77, 2);
  });

  it('is monotonic in CPU, never above the uplink, and rules barely matter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 19_999 }), fc.integer({ min: 0, max: 1000 }), (mhz, less, rules) => {
        const lower = Math.min(less, mhz);
        expect(bridgeThroughput(lower, rules)).toBeLessThanOrEqual(bridgeThroughput(mhz, rules));
        expect(bridgeThroughput(mhz, rules)).toBeLessThanOrEqual(UPLINK_GOODPUT);
        // A thousand rules cost at most 2 %.
        expect(bridgeThroughput(mhz, rules)).toBeGreaterThanOrEqual(bridgeThroughput(mhz, 0) * 0.98);
      }),
    );
  });

  it('a CPU-bound bridge runs at 100 % of its limit and the transfer takes bytes / rate; the DFW costs each host a few MHz at the same rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 1600 }), fc.integer({ min: 1, max: 2000 }), (mhz, mb) => {
        const plan = planTransfer(mb * MB, { bridge: { name: 'fw', host: 'host-21', cpuMhz: mhz, rules: 0 }, crossesHosts: false, filterHosts: ['host-20', 'host-20'] });
        expect(plan.bridgePercent).toBeCloseTo(100, 6);
        expect(plan.seconds).toBeCloseTo((mb * MB) / bridgeThroughput(mhz), 6);
        expect(plan.hostCpuMhz['host-21']).toBeCloseTo(mhz, 0);
        expect(plan.hostCpuMhz['host-20']).toBeLessThan(mhz / 50);
      }),
    );
    expect(dfwCpuMhz(UPLINK_GOODPUT)).toBeLessThan(5);
  });
});
