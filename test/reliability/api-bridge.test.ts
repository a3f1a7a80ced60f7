/**
 * Issue 18, items 1 and 5: the /api/ bridge answers only the lab's own pages, and never
 * reports a failure for a change it applied.
 */
import { describe, expect, it } from 'vitest';
import { apiAccess, type ApiRequestFacts } from '../../src/pwa/api-access';
import { answerBeforeDeadline } from '../../src/pwa/api-bridge';
import { API_REQUEST, API_STARTED, apiWait, timeoutReply, type ApiRequestMessage } from '../../src/pwa/api-protocol';
import type { LabApi, RestRequest } from '../../workers/lab/lab-api';

const ORIGIN = 'http://localhost:4173';
const facts = (method: string, mode: string, headers: Record<string, string> = {}): ApiRequestFacts => ({ method, mode, header: (n) => headers[n] ?? null, origin: ORIGIN });

describe('who may reach the lab through /api/ (item 1)', () => {
  it('refuses the cross-site text/plain form of the report (a navigation), with or without the headers', () => {
    expect(apiAccess(facts('POST', 'navigate')).allowed).toBe(false);
    expect(apiAccess(facts('POST', 'navigate', { 'sec-fetch-site': 'cross-site', origin: 'http://127.0.0.1:5399' }))).toMatchObject({ allowed: false, status: 403 });
    expect(apiAccess(facts('GET', 'navigate')).allowed).toBe(false);
    expect(apiAccess(facts('GET', 'nested-navigate')).allowed).toBe(false);
  });

  it('refuses no-cors writes and requests another origin made', () => {
    expect(apiAccess(facts('POST', 'no-cors')).allowed).toBe(false);
    expect(apiAccess(facts('DELETE', 'no-cors')).allowed).toBe(false);
    expect(apiAccess(facts('POST', 'cors', { origin: 'http://127.0.0.1:5399' })).allowed).toBe(false);
    expect(apiAccess(facts('GET', 'cors', { 'sec-fetch-site': 'same-site' })).allowed).toBe(false);
    expect(apiAccess(facts('PUT', 'cors', { origin: 'null' })).allowed).toBe(false);
  });

  it("answers the lab page's own fetch()", () => {
    expect(apiAccess(facts('GET', 'cors')).allowed).toBe(true);
    expect(apiAccess(facts('POST', 'cors', { origin: ORIGIN, 'sec-fetch-site': 'same-origin' })).allowed).toBe(true);
    expect(apiAccess(facts('GET', 'no-cors')).allowed).toBe(true);
    expect(apiAccess(facts('DELETE', 'same-origin')).allowed).toBe(true);
  });

  it('says why in the 403 body', () => {
    const r = apiAccess(facts('POST', 'navigate'));
    expect(!r.allowed && r.reason).toMatch(/refused.*form/);
  });
});

describe('timeouts never hide an applied change (item 5)', () => {
  const request: RestRequest = { method: 'POST', path: '/api/4.0/firewall/globalroot-0/config/layer3sections', headers: {}, body: '<section name="x"/>' };
  const message = (deadline: number): ApiRequestMessage => ({ type: API_REQUEST, request, deadline });
  const fakeLab = () => {
    const ran: RestRequest[] = [];
    const api = { rest: async (r: RestRequest) => (ran.push(r), { status: 201, headers: {}, body: 'ok' }) } as unknown as LabApi;
    return { ran, api };
  };

  it('a request the page takes after its deadline is not run (the service worker answered "not run")', async () => {
    const { ran, api } = fakeLab();
    const posted: unknown[] = [];
    const reply = await answerBeforeDeadline(message(1000), { postMessage: (m: unknown) => posted.push(m) }, () => api, 1001);
    expect(reply.status).toBe(504);
    expect(ran).toEqual([]);
    expect(posted).toEqual([]);
  });

  it('a request taken in time says it started before it runs', async () => {
    const { ran, api } = fakeLab();
    const posted: unknown[] = [];
    const reply = await answerBeforeDeadline(message(1000), { postMessage: (m: unknown) => posted.push({ m, ranYet: ran.length }) }, () => api, 999);
    expect(reply.status).toBe(201);
    expect(posted).toEqual([{ m: { type: API_STARTED }, ranYet: 0 }]);
    expect(ran).toEqual([request]);
  });

  it('the service worker reports a started request as still running (202), an unstarted one as not run (504)', () => {
    expect(timeoutReply(true).status).toBe(202);
    expect(timeoutReply(true).body).toMatch(/still working.*may yet apply/);
    expect(timeoutReply(false).status).toBe(504);
    expect(timeoutReply(false).body).toMatch(/not run and nothing changed/);
  });
});

describe("how long the service worker waits: 30 s, or the request's Prefer: wait=N (RFC 7240)", () => {
  it('waits 30 s for a request that asks nothing, and says nothing of a preference', () => {
    expect(apiWait(null)).toEqual({ ms: 30_000 });
    expect(apiWait('respond-async')).toEqual({ ms: 30_000 });
  });

  it('waits what the request prefers, among other preferences and with parameters, any case, quoted or not', () => {
    expect(apiWait('wait=5')).toEqual({ ms: 5_000, applied: 'wait=5' });
    expect(apiWait('respond-async, WAIT = 12')).toEqual({ ms: 12_000, applied: 'wait=12' });
    expect(apiWait('handling=lenient, wait="3"; foo=bar')).toEqual({ ms: 3_000, applied: 'wait=3' });
  });

  it('keeps the wait between 1 and 120 s and says which it used', () => {
    expect(apiWait('wait=0')).toEqual({ ms: 1_000, applied: 'wait=1' });
    expect(apiWait('wait=600')).toEqual({ ms: 120_000, applied: 'wait=120' });
  });

  it('ignores a wait that is not a number of seconds, as the RFC asks of a preference it cannot honour', () => {
    for (const bad of ['wait', 'wait=', 'wait=-3', 'wait=1.5', 'wait=soon', 'wait=99999999999']) expect(apiWait(bad), bad).toEqual({ ms: 30_000 });
  });
});

describe('an answered write is kept first (item 6)', () => {
  it('runApiRequest keeps a successful write (journal or save) before it answers; never for reads or refusals', async () => {
    const { runApiRequest } = await import('../../src/pwa/api-bridge');
    const log: string[] = [];
    const api = { rest: async (r: RestRequest) => (log.push(`rest ${r.method}`), { status: r.body === 'bad' ? 400 : 201, headers: {}, body: '' }) } as unknown as LabApi;
    const keepWrite = async () => void log.push('kept');
    const reply = await runApiRequest(api, { method: 'POST', path: '/x', body: 'ok' }, keepWrite);
    log.push(`answered ${reply.status}`);
    await runApiRequest(api, { method: 'GET', path: '/x' }, keepWrite);
    await runApiRequest(api, { method: 'PUT', path: '/x', body: 'bad' }, keepWrite);
    expect(log).toEqual(['rest POST', 'kept', 'answered 201', 'rest GET', 'rest PUT']);
  });
});
