/**
 * Answers of our own in NSX's error shape (`<error><details/><errorCode/><moduleName/></error>`),
 * for what happens before a request reaches the lab's NSX Manager: authentication, the relay
 * to the tab, a tab that cannot answer. Scripts that parse NSX errors read these the same way.
 */
import type { ApiReply } from './api-protocol';
import { esc } from '../lib/nsx/xml.ts';

/** Our own stable codes (NSX-V's real numbers for these are not in our sources). */
const RELAY_ERROR_CODES = {
  unauthenticated: 401,
  forbidden: 403,
  tooLarge: 413,
  noTab: 503,
  labLocked: 504,
  labStarting: 505,
  timeout: 506,
} as const;

export function nsxError(status: number, code: keyof typeof RELAY_ERROR_CODES, details: string, headers: Record<string, string> = {}): ApiReply {
  // Written out rather than through protocol/nsx-xml's builder, whose XML library the first
  // screen does not load; test/relay/nsx-error.test.ts checks both give the same bytes.
  const text = esc(details).replace(/'/g, '&apos;');
  const body = `<error>${text ? `<details>${text}</details>` : '<details/>'}<errorCode>${RELAY_ERROR_CODES[code]}</errorCode><moduleName>DFW Lab API</moduleName></error>`;
  return { status, headers: { 'Content-Type': 'application/xml', ...headers }, body };
}
