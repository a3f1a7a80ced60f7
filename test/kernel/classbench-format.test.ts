import { describe, expect, it } from 'vitest';
import { formatClassBenchRules, parseClassBenchRules, parseClassBenchTrace } from '../bench/classbench/format';
import { generateRules } from '../bench/classbench/generator';

describe('ClassBench format', () => {
  it('parses filter lines (priority = line order, proto mask 0 = any)', () => {
    const r = parseClassBenchRules('@37.184.89.213/32\t37.184.85.24/32\t0 : 65535\t25 : 25\t0x06/0xFF\t0x0100/0x0100\t\n@0.0.0.0/0\t10.0.0.0/8\t1024 : 65535\t0 : 65535\t0x00/0x00\t0x0000/0x0000\t\n');
    expect(r).toHaveLength(2);
    expect(r[0]).toMatchObject({ line: 0, proto: 6, sport: [0, 65535], dport: [25, 25], src: { prefix: [(37 << 24) | (184 << 16) | (89 << 8) | 213, 32] } });
    expect(r[1]).toMatchObject({ line: 1, proto: -1, sport: [1024, 65535], dst: { prefix: [10 << 24, 8] } });
  });

  it('round-trips generated rule sets and reads traces', () => {
    const rules = generateRules(200, 3).map((r) => ({ ...r, dirMask: 3 }));
    expect(parseClassBenchRules(formatClassBenchRules(rules))).toEqual(rules);
    expect(parseClassBenchTrace('3232235777\t167772161\t1024\t80\t6\t0\t12\n')).toEqual([{ src: 3232235777 | 0, dst: 167772161, sport: 1024, dport: 80, proto: 6 }]);
  });
});
