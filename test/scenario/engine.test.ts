import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLine, runScenario, type Line } from '../../workers/scenario/engine';
import { boot, scenario } from './helpers';

const failed = (lines: Line[]) => lines.filter((l) => !l.ok).map(formatLine);

describe('step engine on the current backend', () => {
  it('plays traffic, sessions, vMotion, guest and host commands, and checks output and events', async () => {
    const s = scenario([
      {
        say: 'An open session survives a vMotion.',
        do: [
          { op: 'session', name: 'db', do: 'open', from: 'app-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 },
          { op: 'guest', vm: 'web-sv-01a', cmd: 'ip a', as: 'ip' },
        ],
        goal: [
          { check: 'session', name: 'db', expect: 'alive' },
          { check: 'output', of: 'ip', contains: 'inet 172.16.10.11/24', matches: '^\\s*inet 172\\.16\\.10\\.\\d+/24' },
          { check: 'traffic', from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306, expect: 'allowed' },
          { check: 'reach', app: 'vcenter', expect: 'up' },
        ],
      },
      {
        say: 'Move it.',
        do: [
          { op: 'vmotion', vm: 'app-sv-01a', to: 'esxcomp-01b' },
          { op: 'host', host: 'esxcomp-01b', cmd: 'esxcli network vm list', as: 'vms' },
          { op: 'wait', seconds: 5 },
        ],
        goal: [
          { check: 'session', name: 'db', expect: 'alive' },
          { check: 'output', of: 'vms', contains: 'app-sv-01a' },
          { check: 'event', contains: 'app-sv-01a' },
          { check: 'traffic', from: 'app-sv-01a', to: '172.16.30.11', proto: 'icmp', expect: 'allowed' },
        ],
      },
      { say: 'Close it.', do: [{ op: 'session', name: 'db', do: 'close' }], goal: [{ check: 'session', name: 'db', expect: 'dead' }] },
    ]);
    const r = await runScenario(s, { boot });
    expect(failed(r.lines)).toEqual([]);
    expect(r.passed).toBe(9);
    expect(r.failed).toBe(0);
  });

  it('a failed check says what was expected and what was found', async () => {
    const s = scenario([
      {
        say: 'x',
        do: [{ op: 'guest', vm: 'web-sv-01a', cmd: 'hostname', as: 'h' }],
        goal: [
          { check: 'traffic', from: 'web-sv-01a', to: '172.16.30.99', proto: 'tcp', port: 80, expect: 'allowed' },
          { check: 'output', of: 'h', contains: 'no-such-host' },
          { check: 'event', contains: 'no such event ever', source: 'esxcomp-01a' },
        ],
      },
    ]);
    const r = await runScenario(s, { boot });
    expect(r.failed).toBe(3);
    const [t, o, e] = r.lines.filter((l) => l.kind === 'goal').map(formatLine);
    expect(t).toMatch(/^FAIL step 1 goal 1: web-sv-01a → 172\.16\.30\.99 tcp\/80 is allowed — expected verdict "allowed"; actual verdict "dropped" \(DROP at DLR: no ARP entry/);
    expect(o).toMatch(/^FAIL step 1 goal 2: .* expected output contains "no-such-host"; actual output contains "/);
    expect(e).toMatch(/expected an event containing "no such event ever" from esxcomp-01a; actual none among \d+ events/);
  });

  it('an output check with absent fails when the text appears on any line, where a multiline lookahead would still match', async () => {
    const rules = ['ruleset domain-c26 {', '  rule 1005 at 1 inout protocol tcp from any to any port 22 drop;', '  rule 1001 at 2 inout protocol any from any to any accept;', '}'].join('\n');
    const s = scenario([
      {
        say: 'x',
        do: [{ op: 'guest', vm: 'web-sv-01a', cmd: 'hostname', as: 'h' }],
        goal: [
          { check: 'output', of: 'h', absent: 'rule 1005 ' },
          { check: 'output', of: 'h', absent: 'web-sv-01a' },
          { check: 'output', of: 'h', contains: 'web', absent: 'db' },
        ],
      },
    ]);
    const r = await runScenario(s, { boot });
    expect(r.lines.filter((l) => l.kind === 'goal').map((l) => l.ok)).toEqual([true, false, true]);
    expect(formatLine(r.lines.filter((l) => l.kind === 'goal')[1])).toBe('FAIL step 1 goal 2: output of h has no "web-sv-01a" — expected no "web-sv-01a" in the output; actual a line with it: "web-sv-01a"');
    // Why the field exists: `m` makes ^ match at the last line, so a negative lookahead holds whatever came before.
    expect(new RegExp('^(?![\\s\\S]*rule 1005 )', 'm').test(rules)).toBe(true);
    const { evaluateCheck } = await import('../../workers/scenario/checks');
    const results = new Map([['rules', { kind: 'text' as const, source: 'esxcomp-02a', text: rules }]]);
    const out = await evaluateCheck(r.api, { check: 'output', of: 'rules', absent: 'rule 1005 ' }, results);
    expect(out).toEqual({ ok: false, expected: 'no "rule 1005 " in the output', actual: 'a line with it: "rule 1005 at 1 inout protocol tcp from any to any port 22 drop;"' });
    r.api.lab.dispose();
  });

  it('a reference that cannot be resolved fails its action, counted as a failed check', async () => {
    const s = scenario([
      {
        say: 'x',
        do: [
          { op: 'guest', vm: 'web-sv-01a', cmd: 'echo {{missing.text}}' },
          { op: 'guest', vm: 'web-sv-01a', cmd: 'ip a', as: 'ip' },
          { op: 'guest', vm: 'web-sv-01a', cmd: 'echo {{ip.xml:a/b}}' },
        ],
        goal: [{ check: 'output', of: 'ip', contains: '{{ip.header.etag}}' }],
      },
    ]);
    const r = await runScenario(s, { boot });
    expect(failed(r.lines)).toEqual([
      'FAIL step 1 do 1: web-sv-01a$ echo {{missing.text}} — {{missing.text}}: no result named "missing" has been recorded',
      expect.stringMatching(/^FAIL step 1 do 3: .*{{ip\.xml:a\/b}}: the body is not XML/),
      expect.stringMatching(/^FAIL step 1 goal 1: .* — expected its references to resolve; actual {{ip.header.etag}}: "ip" is not a REST response/),
    ]);
    expect(r.failed).toBe(3);
  });

  it('unknown VMs and hosts fail the action with the lab’s message, not a crash', async () => {
    const s = scenario([
      {
        say: 'x',
        do: [
          { op: 'vmotion', vm: 'app-sv-01a', to: 'esxcomp-01a' },
          { op: 'host', host: 'esx-nowhere', cmd: 'ls' },
        ],
        goal: [{ check: 'traffic', from: 'ghost-vm', to: 'db-sv-01a', proto: 'icmp', expect: 'allowed' }],
      },
    ]);
    const r = await runScenario(s, { boot });
    expect(r.failed).toBe(3);
    expect(r.lines.map(formatLine)).toEqual([
      expect.stringMatching(/^FAIL step 1 do 1: vMotion app-sv-01a to esxcomp-01a — .*already runs/),
      'FAIL step 1 do 2: [root@esx-nowhere:~] ls — no host named esx-nowhere',
      expect.stringMatching(/^FAIL step 1 goal 1: .* — expected the check to run; actual /),
    ]);
  });

  it('control-plane ops act on the lab: vsfwd, NSX Manager and the bus go down as asked', async () => {
    const s = scenario([
      {
        say: 'x',
        do: [
          { op: 'vsfwd', host: 'esxcomp-01a', do: 'stop' },
          { op: 'host', host: 'esxcomp-01a', cmd: '/etc/init.d/vShield-Stateful-Firewall status', as: 'vsfwd' },
          { op: 'bus', host: 'esxcomp-01b', state: 'cut' },
          { op: 'manager', state: 'down' },
        ],
        goal: [
          { check: 'output', of: 'vsfwd', contains: 'not running' },
          { check: 'api', method: 'GET', path: '/api/4.0/firewall/globalroot-0/config', status: 200 },
        ],
      },
    ]);
    const r = await runScenario(s, { boot });
    expect(r.lines.filter((l) => l.kind === 'do').map((l) => l.ok)).toEqual([true, true, true, true]);
    expect(r.lines.filter((l) => l.kind === 'goal').map((l) => l.ok)).toEqual([true, false]);
    r.api.lab.dispose();
  });

  it('--solve plays solutions; without it the goals are judged on the lab as the learner left it', async () => {
    const s = scenario([
      {
        say: 'Move app-sv-01a to esxcomp-01b.',
        goal: [{ check: 'event', contains: 'app-sv-01a' }, { check: 'traffic', from: 'app-sv-01a', to: 'web-sv-01b', proto: 'tcp', port: 80, expect: 'allowed' }],
        solution: [{ op: 'vmotion', vm: 'app-sv-01a', to: 'esxcomp-01b' }, { op: 'host', host: 'esxcomp-01b', cmd: 'esxcli network vm list', as: 'l' }],
      },
      { say: 'Check it is there.', goal: [{ check: 'output', of: 'l', contains: 'app-sv-01a' }] },
    ]);
    const solved = await runScenario(s, { boot, solve: true });
    expect(failed(solved.lines)).toEqual([]);
    const unsolved = await runScenario(s, { boot });
    expect(unsolved.failed).toBeGreaterThan(0);
    expect(unsolved.lines.find((l) => l.step === 2)?.actual).toMatch(/no action recorded it/);
  });

  it('the same scenario gives the same lines and the same event log twice', async () => {
    const s = scenario([{ say: 'x', do: [{ op: 'traffic', from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 }, { op: 'wait', seconds: 30 }], goal: [{ check: 'reach', app: 'nsx-manager', expect: 'up' }] }]);
    const a = await runScenario(s, { boot });
    const b = await runScenario(s, { boot });
    expect(a.lines).toEqual(b.lines);
    expect(a.api.lab.events).toEqual(b.api.lab.events);
  });
});

describe('the runner CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfw-scenario-'));
  const run = (name: string, content: string, ...args: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/scenario.ts', file, ...args], { encoding: 'utf8', timeout: 60_000 });
  };
  const doc = (steps: unknown[]) => JSON.stringify({ format: 'dfw-lab/scenario@1', id: 'cli', title: 'CLI', summary: '', lab: { preset: 'classroom' }, steps });

  it('prints one line per check and the tally last; exit 0 when all pass, 1 when one fails', () => {
    const ok = run('ok.json', doc([{ say: 'x', goal: [{ check: 'reach', app: 'vcenter', expect: 'up' }] }]));
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim().split('\n')).toEqual(['ok   step 1 goal 1: vCenter screens are up from the admin workstation', '1 passed, 0 failed']);
    const bad = run('bad.json', doc([{ say: 'x', goal: [{ check: 'reach', app: 'vcenter', expect: 'up' }, { check: 'traffic', from: 'web-sv-01a', to: '172.16.30.99', proto: 'tcp', port: 1, expect: 'allowed' }] }]));
    expect(bad.status).toBe(1);
    const lines = bad.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^FAIL step 1 goal 2: .* — expected verdict "allowed"; actual verdict "dropped"/);
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
  }, 60_000);

  it('exit 2 with the JSON path of the first problem for an invalid file, unreadable file or bad JSON', () => {
    const invalid = run('invalid.json', doc([{ say: 'x', goal: [{ check: 'reach', app: 'vcenter', expect: 'sideways' }] }]));
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/invalid scenario at \$\.steps\[0\]\.goal\[0\]\.expect: expect is 'up' or 'down'/);
    const json = run('json.json', '{ nope');
    expect(json.status).toBe(2);
    expect(json.stderr).toMatch(/invalid scenario at \$: not JSON/);
    const missing = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/scenario.ts', join(dir, 'absent.json')], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
  }, 60_000);
});
