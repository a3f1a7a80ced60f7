import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { parseScenario, validateScenario } from '../../workers/scenario/schema';

const base = (steps: unknown[], extra: Record<string, unknown> = {}) => ({ format: 'dfw-lab/scenario@1', id: 'x', title: 'X', summary: '', lab: { preset: 'classroom' }, steps, ...extra });
const problem = (input: unknown) => {
  const r = validateScenario(input);
  if (r.ok) throw new Error('expected the scenario to be refused');
  return `${r.path}: ${r.message}`;
};

describe('scenario schema', () => {
  it('accepts every action and check of the spec', () => {
    const r = validateScenario(
      base([
        {
          say: '**hello**',
          do: [
            { op: 'api', method: 'get', path: '/api/4.0/firewall/globalroot-0/config', headers: { Accept: 'application/xml' }, as: 'cfg' },
            { op: 'guest', vm: 'web-sv-01a', cmd: 'ip a', as: 'ip' },
            { op: 'host', host: 'esxcomp-01a', cmd: 'summarize-dvfilter', as: 'dv' },
            { op: 'vmotion', vm: 'app-sv-01a', to: 'esxcomp-01b' },
            { op: 'power', vm: 'web-sv-01b', state: 'off' },
            { op: 'vsfwd', host: 'esxcomp-01a', do: 'crash' },
            { op: 'manager', state: 'down' },
            { op: 'bus', host: 'esxcomp-01a', state: 'cut' },
            { op: 'wait', seconds: 10 },
            { op: 'traffic', from: 'web-sv-01a', to: '172.16.30.11', proto: 'tcp', port: 3306, flags: 'A', as: 't' },
            { op: 'session', name: 's1', do: 'open', from: 'app-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 },
            { op: 'session', name: 's1', do: 'send' },
            { op: 'publish' },
          ],
          goal: [
            { check: 'traffic', from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306, expect: 'dropped', rule: 1005, by: 'rule' },
            { check: 'session', name: 's1', expect: 'alive' },
            { check: 'response', of: 'cfg', status: 200, contains: 'section', header: { ETag: '{{cfg.header.etag}}' } },
            { check: 'api', method: 'DELETE', path: '/api/4.0/firewall/globalroot-0/config', status: 204 },
            { check: 'output', of: 'dv', contains: 'vmware-sfw', matches: 'slot \\d' },
            { check: 'event', contains: '301031', source: 'esxcomp-01a' },
            { check: 'reach', app: 'vcenter', expect: 'down' },
          ],
          hint: ['nudge', 'targeted'],
          solution: [{ op: 'publish' }],
        },
        { say: 'a step with no goal' },
      ]),
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario.steps[0].do?.[0]).toMatchObject({ method: 'GET' });
  });

  it('names the JSON path of the first problem', () => {
    expect(problem({ ...base([{ say: 'x' }]), format: 'dfw-lab/scenario@2' })).toMatch(/^\$\.format: .*format dfw-lab\/scenario@2/);
    expect(problem({ ...base([{ say: 'x' }]), format: 'nope' })).toMatch(/^\$\.format: format must be/);
    expect(problem(base([{ say: 'x', do: [{ op: 'teleport' }] }]))).toMatch(/^\$\.steps\[0\]\.do\[0\]\.op: op is one of api, guest/);
    expect(problem(base([{ say: 'x', do: [{ op: 'api', method: 'GET' }] }]))).toBe('$.steps[0].do[0].path: missing field "path"');
    expect(problem(base([{ say: 'x', do: [{ op: 'wait', seconds: 1, extra: true }] }]))).toBe('$.steps[0].do[0].extra: unknown field "extra"');
    expect(problem(base([{ say: 'x' }, { say: 'y', goal: [{ check: 'traffic', from: 'a', to: 'b', proto: 'sctp', expect: 'allowed' }] }]))).toMatch(/^\$\.steps\[1\]\.goal\[0\]\.proto: proto is/);
    expect(problem(base([{ say: 'x', goal: [{ check: 'output', of: 'r', matches: '(' }] }]))).toMatch(/^\$\.steps\[0\]\.goal\[0\]\.matches: not a valid regular expression/);
    expect(problem(base([{ say: 'x', goal: [{ check: 'output', of: 'never' , contains: 'a'}] }]))).toMatch(/^\$\.steps\[0\]\.goal\[0\]\.of: no action before this check records a result named "never"/);
    expect(problem(base([{ say: 'x', do: [{ op: 'session', name: 's', do: 'open', from: 'a' }] }]))).toMatch(/^\$\.steps\[0\]\.do\[0\]: a session 'open' needs/);
    expect(problem(base([]))).toMatch(/^\$\.steps: a scenario needs at least one step/);
    expect(problem({ ...base([{ say: 'x' }]), id: 'Bad Id' })).toMatch(/^\$\.id: /);
    expect(problem(base([{ say: 'x', do: [{ op: 'api', method: 'GET', path: 'https://evil.example/x' }] }]))).toMatch(/^\$\.steps\[0\]\.do\[0\]\.path: an API path starts with \//);
    expect(problem(base([{ say: 'x', do: [{ op: 'wait', seconds: -1 }] }]))).toMatch(/^\$\.steps\[0\]\.do\[0\]\.seconds: seconds must not be negative/);
    expect(problem([])).toBe('$: a scenario is a JSON object');
    expect(problem(null)).toBe('$: a scenario is a JSON object');
  });

  it('accepts a full lab document and names paths inside it', () => {
    expect(validateScenario(base([{ say: 'x' }], { lab: buildLab() })).ok).toBe(true);
    const lab = buildLab() as unknown as { seed: unknown };
    lab.seed = 'one';
    expect(problem(base([{ say: 'x' }], { lab }))).toMatch(/^\$\.lab\.seed: /);
    expect(problem(base([{ say: 'x' }], { lab: { preset: 'datacenter' } }))).toMatch(/^\$\.lab/);
  });

  it('refuses floods: too many steps, huge strings', () => {
    expect(problem(base(Array.from({ length: 101 }, () => ({ say: 'x' }))))).toMatch(/^\$\.steps: at most 100 steps/);
    expect(problem(base([{ say: 'x'.repeat(20_001) }]))).toMatch(/^\$\.steps\[0\]\.say: at most 20000/);
  });

  it('reports JSON syntax errors at $', () => {
    const r = parseScenario('{"format": ');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.path).toBe('$');
  });

  it('never throws on arbitrary input, and a refusal always names a path', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ format: fc.constant('dfw-lab/scenario@1'), steps: fc.array(fc.record({ say: fc.string(), do: fc.array(fc.jsonValue()) })) })), (input) => {
        const r = validateScenario(input);
        if (!r.ok) expect(r.path.startsWith('$')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('does not let __proto__ keys through as fields', () => {
    const r = parseScenario('{"format":"dfw-lab/scenario@1","id":"x","title":"X","summary":"","lab":{"preset":"classroom"},"steps":[{"say":"x","__proto__":{"polluted":1}}]}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.ok).toBe(false);
  });
});
