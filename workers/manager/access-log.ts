/**
 * Logins in NSX Manager's audit log (seed 000: the audit log holds admin logins beside
 * configuration changes). NSX-V records them under module ACCESS_CONTROL, operation LOGIN,
 * with the outcome. A REST client with basic auth logs in on every request; the lab keeps one
 * entry per user and way in per minute of lab time (as a session would), and every failure.
 */
import type { EventInput } from '../protocol/events';

type LoginVia = 'rest' | 'ui';

export interface LoginAttempt {
  user: string;
  via: LoginVia;
  ok: boolean;
}

/** Lab time of each user's last recorded login, per way in (`admin/rest`). */
type LastLogins = Record<string, number>;

const SESSION_MS = 60_000;
const VIA_TEXT: Record<LoginVia, string> = { rest: 'the REST API (HTTP basic authentication)', ui: 'the vSphere Web Client (NSX plug-in session)' };

/** The user name as the audit log writes it. */
function auditedUser(a: LoginAttempt): string {
  return a.user.slice(0, 64).replace(/[^\w.@\\-]/g, '?') || '(empty)';
}

function sessionKey(a: LoginAttempt): string {
  return `${auditedUser(a)}/${a.via}`;
}

/** Whether a successful login of the same user and way in was recorded less than a session ago: the attempt changes nothing. */
export function isFreshLogin(a: LoginAttempt, last: LastLogins | undefined, now: number): boolean {
  const at = last?.[sessionKey(a)];
  return a.ok && at !== undefined && now - at < SESSION_MS;
}

/** The audit event for an attempt, or null when a session of the same user and way in is still fresh. */
export function loginEvent(a: LoginAttempt, last: LastLogins, now: number): EventInput | null {
  if (isFreshLogin(a, last, now)) return null;
  const user = auditedUser(a);
  if (a.ok) last[sessionKey(a)] = now;
  const outcome = a.ok ? 'Success' : 'Failure';
  const text = `${user} LOGIN ${outcome} (ACCESS_CONTROL) through ${VIA_TEXT[a.via]}${a.ok ? '' : ': wrong user name or password'}`;
  return { kind: 'audit', text, severity: a.ok ? 'info' : 'warn', data: { user, operation: 'LOGIN', module: 'ACCESS_CONTROL', status: outcome, via: a.via } };
}
