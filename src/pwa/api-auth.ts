/**
 * HTTP basic authentication for the API from outside the page, as NSX Manager does it: the
 * appliance's `admin` (password `default` until changed in the app) may do everything, the lab's
 * read-only `auditor` may only read. The page itself needs no credentials (it is the client's
 * logged-in session). Used by the tab answering the relay and by the headless lab's server.
 */
import type { LabApi, RestRequest } from '../../workers/lab/lab-api';
import type { ApiReply } from './api-protocol';
import { nsxError } from './nsx-error';

export type ApiUser = 'admin' | 'auditor';

/** The password of each user. */
export type ApiAccounts = Record<ApiUser, string>;

export const DEFAULT_ACCOUNTS: ApiAccounts = { admin: 'default', auditor: 'default' };

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const REALM = 'Basic realm="NSX Manager"';

/** `user` on a refusal: who authenticated but may not do this (403). */
type AccessResult = { ok: true; user: ApiUser } | { ok: false; reply: ApiReply; user?: ApiUser };

function headerOf(req: RestRequest, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers ?? {})) if (k.toLowerCase() === want) return v;
  return undefined;
}

/** `Basic base64(user:password)` → user and password; undefined when absent or unreadable. */
export function basicCredentials(req: RestRequest): { user: string; password: string } | undefined {
  const m = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(headerOf(req, 'Authorization') ?? '');
  if (!m) return undefined;
  let text: string;
  try {
    text = new TextDecoder().decode(Uint8Array.from(atob(m[1]!.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

function isUser(name: string): name is ApiUser {
  return name === 'admin' || name === 'auditor';
}

/** Who sent this request from outside, and may they do it? */
export function checkAccess(req: RestRequest, accounts: ApiAccounts): AccessResult {
  const creds = basicCredentials(req);
  // NSX-V's documented answer to a request without credentials (nsx-reference §1.1); wrong ones get a Basic challenge.
  if (!creds) return { ok: false, reply: nsxError(403, 'forbidden', 'Authorization header not provided') };
  if (!isUser(creds.user) || accounts[creds.user] !== creds.password) {
    return { ok: false, reply: nsxError(401, 'unauthenticated', `The user name or password is incorrect for user "${creds.user}"`, { 'WWW-Authenticate': REALM }) };
  }
  if (creds.user === 'auditor' && !READ_ONLY_METHODS.has(req.method.toUpperCase())) {
    return { ok: false, user: 'auditor', reply: nsxError(403, 'forbidden', `User auditor has the Auditor role (read only) and may not ${req.method.toUpperCase()} ${req.path.split('?')[0]}`) };
  }
  return { ok: true, user: creds.user };
}

/** The request without its credentials, as it goes to NSX Manager and into the history. */
export function withoutCredentials(req: RestRequest): RestRequest {
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'authorization'));
  return { ...req, headers };
}

/** The login a request with credentials makes (for NSX Manager's audit log); undefined without credentials. */
function loginAttempt(req: RestRequest, access: AccessResult): { user: string; ok: boolean } | undefined {
  const creds = basicCredentials(req);
  if (!creds) return undefined;
  // An auditor refused a write did log in: the refusal is about the role, not the password.
  return { user: creds.user, ok: access.ok || access.user !== undefined };
}

/** Records that login in the lab's audit log; a lab that cannot take it (stopped, manager down) loses only the entry. */
export async function auditLogin(api: LabApi | null, req: RestRequest, access: AccessResult): Promise<void> {
  const attempt = loginAttempt(req, access);
  if (attempt && api) await api.login(attempt.user, 'rest', attempt.ok).catch(() => undefined);
}
