/**
 * The passwords of the API's users (admin, auditor) for requests from outside the page, kept
 * in this browser's localStorage like the appliance keeps its own: changing one here changes
 * what curl must send. The relay's connection status is shown beside them.
 */
import { type ApiAccounts, type ApiUser, DEFAULT_ACCOUNTS } from './api-auth';

const KEY = 'dfw-lab/api-accounts';

function load(): ApiAccounts {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<ApiAccounts> | null;
    const pick = (u: ApiUser) => (typeof saved?.[u] === 'string' && saved[u] ? saved[u] : DEFAULT_ACCOUNTS[u]);
    return { admin: pick('admin'), auditor: pick('auditor') };
  } catch {
    return { ...DEFAULT_ACCOUNTS };
  }
}

export class ApiAccess {
  accounts = $state<ApiAccounts>(load());
  /** Whether `npm start`'s server relays the terminal's requests to this tab. */
  relay = $state<'connected' | 'unavailable'>('unavailable');

  /** Sets a password; returns a message when it is refused (empty, or not printable ASCII for basic auth). */
  setPassword(user: ApiUser, password: string): string {
    if (!password) return 'A password cannot be empty.';
    if (!/^[\x21-\x7e]+$/.test(password)) return 'Use letters, digits and punctuation only (no spaces), so it can be typed after curl -u.';
    this.accounts = { ...this.accounts, [user]: password };
    try {
      localStorage.setItem(KEY, JSON.stringify(this.accounts));
    } catch {
      return 'Changed for this session; the browser did not let us keep it.';
    }
    return '';
  }
}
