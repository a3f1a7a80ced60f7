/**
 * What a REST goal check hands to the lesson dock: whether the answer holds what the check looks
 * for, in a word, and its status; never the answer's XML body (issue 12: no raw XML reaches the
 * learner, and kilobytes of it need not travel with every check).
 */
import { describe, expect, it } from 'vitest';
import type { LabApi } from '../../workers/lab/lab-api';
import { evaluateCheck } from '../../workers/scenario/checks';
import type { Results } from '../../workers/scenario/results';

const body = `<securityPolicies>${'<securityPolicy><objectId>policy-1</objectId><name>Quarantine</name><precedence>5000</precedence></securityPolicy>'.repeat(40)}</securityPolicies>`;
const answering = (status: number, text: string) => ({ rest: async () => ({ status, headers: { 'Content-Type': 'application/xml' }, body: text }) }) as unknown as LabApi;
const none: Results = new Map();

describe('REST goal checks keep only what the check needs', () => {
  it('an api check that holds says "found", with no part of the body', async () => {
    const out = await evaluateCheck(answering(200, body), { check: 'api', method: 'GET', path: '/api/2.0/services/policy/securitypolicy/all', status: 200, contains: 'Quarantine' }, none);
    expect(out).toEqual({ ok: true, expected: 'status 200, body contains "Quarantine"', actual: 'status 200, body contains found' });
  });

  it('one that does not hold says so, and a wrong status is the status alone', async () => {
    const missing = await evaluateCheck(answering(200, body), { check: 'api', method: 'GET', path: '/api/2.0/services/policy/securitypolicy/all', contains: 'App access' }, none);
    expect(missing).toMatchObject({ ok: false, actual: 'body contains not in the answer' });
    const refused = await evaluateCheck(answering(404, '<error><details>Security policy policy-9 not found</details></error>'), { check: 'api', method: 'GET', path: '/api/2.0/services/policy/securitypolicy/policy-9', status: 200, contains: 'Quarantine' }, none);
    expect(refused).toMatchObject({ ok: false, actual: 'status 404, body contains not in the answer' });
    const empty = await evaluateCheck(answering(204, ''), { check: 'api', method: 'DELETE', path: '/api/4.0/firewall/globalroot-0/config', contains: 'x' }, none);
    expect(empty.actual).toBe('body contains not in the answer (it was empty)');
    for (const out of [missing, refused, empty]) expect(out.actual).not.toMatch(/</);
  });

  it('a response check on a recorded answer does the same', async () => {
    const results: Results = new Map([['p', { kind: 'api' as const, request: { method: 'POST', path: '/api/2.0/services/policy/securitypolicy' }, response: { status: 201, headers: {}, body } }]]);
    const out = await evaluateCheck(answering(500, ''), { check: 'response', of: 'p', status: 201, contains: '<name>Quarantine</name>' }, results);
    expect(out).toEqual({ ok: true, expected: 'status 201, body contains "<name>Quarantine</name>"', actual: 'status 201, body contains found' });
  });
});
