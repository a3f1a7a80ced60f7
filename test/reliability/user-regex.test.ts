/**
 * Issue 18, items 2 and 3: a user's regular expression can neither freeze a lesson's goal
 * check nor NSX Manager's group membership. Before RE2JS, each of these hung for ever
 * (V8 backtracks exponentially on the pattern below).
 */
import { describe, expect, it } from 'vitest';
import { compileSafeRegex } from '../../workers/lab/safe-regex';
import { runScenario } from '../../workers/scenario/engine';
import { validateScenario } from '../../workers/scenario/schema';
import { api, newManager } from '../manager/fixtures';
import { boot, scenario } from '../scenario/helpers';
import { securityGroups } from '../manager/manager-views';

const HOSTILE = '(.*.*.*.*.*.*.*.*)*Z';
const GROUPS = '/api/2.0/services/securitygroup/bulk/globalroot-0';
const groupWith = (criteria: string, value: string) =>
  `<securitygroup><name>Hostile</name><dynamicMemberDefinition><dynamicSet><dynamicCriteria><key>VM.NAME</key><criteria>${criteria}</criteria><value>${value}</value></dynamicCriteria></dynamicSet></dynamicMemberDefinition></securitygroup>`;

describe('the linear-time engine', () => {
  it('answers the catastrophic pattern on a long text', () => {
    const r = compileSafeRegex(HOSTILE, { multiline: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.regex.test('x'.repeat(50_000))).toBe(false);
    expect(r.regex.test(`${'x'.repeat(50_000)}Z`)).toBe(true);
  });

  it('keeps JavaScript meaning for the usual syntax (classes, anchors per line, groups)', () => {
    const r = compileSafeRegex('^\\s*inet 172\\.16\\.10\\.\\d+/24$', { multiline: true });
    expect(r.ok && r.regex.test('eth0\n    inet 172.16.10.11/24\nend')).toBe(true);
    expect(r.ok && r.regex.test('inet 172.16.10.11/25')).toBe(false);
  });

  it('refuses what it cannot run in linear time, saying why', () => {
    const back = compileSafeRegex('(a)\\1');
    expect(back.ok).toBe(false);
    if (!back.ok) expect(back.message).toMatch(/not a valid regular expression.*backreferences/);
    const long = compileSafeRegex('a'.repeat(501));
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.message).toMatch(/at most 500 characters/);
  });
});

describe('scenario goals (item 2)', () => {
  it('an output goal with the hostile pattern is checked at once and simply fails', async () => {
    const s = scenario([{ say: 'x', do: [{ op: 'guest', vm: 'web-sv-01a', cmd: 'ip addr', as: 'ip' }], goal: [{ check: 'output', of: 'ip', matches: HOSTILE }] }]);
    const r = await runScenario(s, { boot });
    expect(r.failed).toBe(1);
    expect(r.passed).toBe(0);
  });

  it('a pattern the engine cannot run is refused when the file is read', () => {
    const r = validateScenario({
      format: 'dfw-lab/scenario@1',
      id: 't',
      title: 'T',
      summary: '',
      lab: { preset: 'classroom' },
      steps: [{ say: 'x', goal: [{ check: 'output', of: 'ip', matches: '(?=inet)' }] }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/not a valid regular expression for the lab's linear-time engine/);
  });
});

describe('security groups (item 3)', () => {
  it('a similar_to group with the hostile pattern is created and evaluated without hanging', () => {
    const { manager } = newManager();
    const res = api(manager).post(GROUPS, groupWith('similar_to', HOSTILE));
    expect(res.status).toBe(201);
    expect(securityGroups(manager).find((g) => g.objectId === res.body)!.vms).toEqual([]);
    const any = api(manager).post(GROUPS, groupWith('similar_to', '^web-sv-0[12]a$').replace('Hostile', 'Web'));
    expect(securityGroups(manager).find((g) => g.objectId === any.body)!.vms.length).toBe(2);
  });

  it('a pattern with a backreference is a 400 that names the reason, and creates nothing', () => {
    const { manager } = newManager();
    const before = securityGroups(manager).length;
    const res = api(manager).post(GROUPS, groupWith('similar_to', '(web)\\1'));
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/backreferences/);
    expect(securityGroups(manager).length).toBe(before);
  });
});
