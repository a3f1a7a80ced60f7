/** The tab's answer to a relayed request: basic auth as NSX Manager, roles, and the page's own session. */
import { describe, expect, it } from 'vitest';
import type { LabApi, RestRequest } from '../../workers/lab/lab-api';
import { basicCredentials, checkAccess, DEFAULT_ACCOUNTS } from '../../src/pwa/api-auth';
import { answerBeforeDeadline, answerRelayed, relayUrl } from '../../src/pwa/api-relay';
import type { RelayRequest } from '../../src/pwa/relay-protocol';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A lab whose manager records what reached it and answers 200. */
function fakeLab() {
  const seen: RestRequest[] = [];
  const logins: string[] = [];
  const api = {
    rest: async (r: RestRequest) => (seen.push(r), { status: 200, headers: { ETag: '7' }, body: '<ok/>' }),
    login: async (user: string, via: string, ok: boolean) => void logins.push(`${user} ${via} ${ok ? 'ok' : 'failed'}`),
  } as unknown as LabApi;
  return { api, seen, logins };
}

const relayed = (method: string, headers: Record<string, string> = {}, fromPage = false): RelayRequest => ({
  type: 'request',
  id: 1,
  fromPage,
  request: { method, path: '/api/4.0/firewall/globalroot-0/config', headers },
});

describe('basic authentication', () => {
  it('reads user and password (a password may hold a colon), and nothing from other schemes', () => {
    expect(basicCredentials({ method: 'GET', path: '/', headers: { authorization: basic('admin', 'a:b') } })).toEqual({ user: 'admin', password: 'a:b' });
    expect(basicCredentials({ method: 'GET', path: '/', headers: { Authorization: 'Bearer abc' } })).toBeUndefined();
    expect(basicCredentials({ method: 'GET', path: '/', headers: { Authorization: 'Basic %%%' } })).toBeUndefined();
  });

  it('403 "Authorization header not provided" without credentials (nsx-reference §1.1), 401 with wrong ones (with a Basic challenge), 403 for auditor writes only', () => {
    for (const headers of [undefined, { Authorization: 'Bearer abc' }]) {
      const none = checkAccess({ method: 'GET', path: '/api/x', headers }, DEFAULT_ACCOUNTS);
      expect(none.ok).toBe(false);
      if (!none.ok) {
        expect(none.reply.status).toBe(403);
        expect(none.reply.headers['WWW-Authenticate']).toBeUndefined();
        expect(none.reply.body).toMatch(/^<error><details>Authorization header not provided<\/details>/);
      }
    }
    const wrong = checkAccess({ method: 'GET', path: '/api/x', headers: { Authorization: basic('admin', 'nope') } }, DEFAULT_ACCOUNTS);
    expect(!wrong.ok && wrong.reply.status).toBe(401);
    expect(!wrong.ok && wrong.reply.headers['WWW-Authenticate']).toMatch(/^Basic realm=/);
    const stranger = checkAccess({ method: 'GET', path: '/api/x', headers: { Authorization: basic('root', 'default') } }, DEFAULT_ACCOUNTS);
    expect(!stranger.ok && stranger.reply.status).toBe(401);
    expect(checkAccess({ method: 'GET', path: '/api/x', headers: { Authorization: basic('auditor', 'default') } }, DEFAULT_ACCOUNTS)).toEqual({ ok: true, user: 'auditor' });
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const w = checkAccess({ method, path: '/api/x', headers: { Authorization: basic('auditor', 'default') } }, DEFAULT_ACCOUNTS);
      expect(!w.ok && w.reply.status, method).toBe(403);
    }
    expect(checkAccess({ method: 'DELETE', path: '/api/x', headers: { Authorization: basic('admin', 'default') } }, DEFAULT_ACCOUNTS)).toEqual({ ok: true, user: 'admin' });
  });
});

describe('the tab answering the relay', () => {
  const opts = (api: LabApi, accounts = DEFAULT_ACCOUNTS) => ({ getApi: () => api, accounts: () => accounts, onExchange() {} });

  it('runs an admin request on the lab without its credentials, marked external with the user', async () => {
    const { api, seen } = fakeLab();
    const x = await answerRelayed(relayed('DELETE', { authorization: basic('admin', 'default'), 'if-match': '3' }), 'ready', opts(api));
    expect(x).toMatchObject({ external: true, user: 'admin', reply: { status: 200, body: '<ok/>' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers).toEqual({ 'if-match': '3' });
  });

  it('refuses without running the request: no credentials, a changed password, an auditor write (logins go to the audit log)', async () => {
    const { api, seen, logins } = fakeLab();
    expect((await answerRelayed(relayed('GET'), 'ready', opts(api))).reply.status).toBe(403);
    const changed = { ...DEFAULT_ACCOUNTS, admin: 's3cret' };
    expect((await answerRelayed(relayed('GET', { authorization: basic('admin', 'default') }), 'ready', opts(api, changed))).reply.status).toBe(401);
    expect((await answerRelayed(relayed('GET', { authorization: basic('admin', 's3cret') }), 'ready', opts(api, changed))).reply.status).toBe(200);
    const denied = await answerRelayed(relayed('PUT', { authorization: basic('auditor', 'default') }), 'ready', opts(api));
    expect(denied).toMatchObject({ external: true, user: 'auditor', reply: { status: 403 } });
    expect(seen).toHaveLength(1); // only the request with the changed password
    expect(logins).toEqual(['admin rest failed', 'admin rest ok', 'auditor rest ok']);
  });

  it("answers the page's own requests without credentials, and 503 from a tab that has the lab read-only", async () => {
    const { api, seen } = fakeLab();
    expect(await answerRelayed(relayed('GET', {}, true), 'ready', opts(api))).toMatchObject({ external: false, reply: { status: 200 } });
    const locked = await answerRelayed(relayed('GET', { authorization: basic('admin', 'default') }), 'locked', opts(api));
    expect(locked.reply.status).toBe(503);
    expect(locked.reply.body).toMatch(/locked by another tab/);
    expect(seen).toHaveLength(1);
  });

  it("runs a request only before the deadline its wait set (Prefer: wait=N), saying it started first; past it, nothing runs", async () => {
    const { api, seen } = fakeLab();
    const order: string[] = [];
    const msg = { ...relayed('PUT', { authorization: basic('admin', 'default'), prefer: 'wait=5' }), deadline: 10_000 };
    const late = await answerBeforeDeadline(msg, 'ready', opts(api), 10_001, () => order.push('started'));
    expect(late).toBeNull();
    expect(order).toEqual([]);
    expect(seen).toHaveLength(0);
    const inTime = await answerBeforeDeadline(msg, 'ready', opts(api), 10_000, () => order.push(`started, ${seen.length} run`));
    expect(inTime).toMatchObject({ external: true, reply: { status: 200 } });
    expect(order).toEqual(['started, 0 run']);
    expect(seen[0]!.headers).toEqual({ prefer: 'wait=5' });
  });

  it('connects to its own origin only', () => {
    expect(relayUrl('http://localhost:4173')).toBe('ws://localhost:4173/__dfw-lab/relay');
    expect(relayUrl('https://lab.example')).toBe('wss://lab.example/__dfw-lab/relay');
  });
});
