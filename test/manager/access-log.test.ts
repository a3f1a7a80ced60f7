/**
 * Logins in NSX Manager's audit log (issue 14 item 7): the REST API with basic auth and the
 * client's session, one entry per user and way in per minute, every failure.
 */
import { describe, expect, it } from 'vitest';
import { auditLogin, checkAccess, DEFAULT_ACCOUNTS } from '../../src/pwa/api-auth';
import type { LabApi, RestRequest } from '../../workers/lab/lab-api';
import { bootClassroom } from '../lab/helpers';

const logins = (api: LabApi) => api.lab.events.filter((e) => e.kind === 'audit' && e.source === 'manager' && e.data?.operation === 'LOGIN').map((e) => e.text);
const basic = (user: string, password: string): RestRequest => ({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/config', headers: { Authorization: `Basic ${btoa(`${user}:${password}`)}` } });

describe('login audit entries', () => {
  it('a session logs in once a minute; failures always show', async () => {
    const api = await bootClassroom();
    try {
      await api.login('admin', 'rest', true);
      await api.login('admin', 'rest', true);
      await api.login('admin', 'ui', true);
      await api.login('mallory', 'rest', false);
      await api.login('mallory', 'rest', false);
      expect(logins(api)).toEqual([
        'admin LOGIN Success (ACCESS_CONTROL) through the REST API (HTTP basic authentication)',
        'admin LOGIN Success (ACCESS_CONTROL) through the vSphere Web Client (NSX plug-in session)',
        'mallory LOGIN Failure (ACCESS_CONTROL) through the REST API (HTTP basic authentication): wrong user name or password',
        'mallory LOGIN Failure (ACCESS_CONTROL) through the REST API (HTTP basic authentication): wrong user name or password',
      ]);
      await api.lab.advance(61_000);
      await api.login('admin', 'rest', true);
      expect(logins(api).filter((t) => t.startsWith('admin LOGIN Success') && t.includes('REST'))).toHaveLength(2);
    } finally {
      api.lab.dispose();
    }
  });

  it('the API front door records what the credentials did: right, wrong, read-only refused, none', async () => {
    const api = await bootClassroom();
    try {
      for (const req of [basic('auditor', 'default'), basic('admin', 'nope'), { ...basic('auditor', 'default'), method: 'DELETE' }, { method: 'GET', path: '/api/x' }]) {
        await auditLogin(api, req, checkAccess(req, DEFAULT_ACCOUNTS));
      }
      expect(logins(api)).toEqual([
        'auditor LOGIN Success (ACCESS_CONTROL) through the REST API (HTTP basic authentication)',
        'admin LOGIN Failure (ACCESS_CONTROL) through the REST API (HTTP basic authentication): wrong user name or password',
      ]);
      // A user name is not a way to write into the log: controls and markup are replaced.
      await api.login('<b>\u001b[31m', 'rest', false);
      expect(logins(api).at(-1)).toMatch(/^\?b\?\?\?31m LOGIN Failure/);
    } finally {
      api.lab.dispose();
    }
  });
});
