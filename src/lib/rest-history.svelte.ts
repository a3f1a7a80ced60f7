/**
 * The REST client's history: what the screen sent, and what came from outside the page
 * (curl, scripts through `npm start`'s relay), newest first, marked by who sent it.
 */
import type { RestRequest, RestResponse } from '../../workers/lab/lab-api';

export interface RestHistoryEntry {
  seq: number;
  request: RestRequest;
  response: RestResponse;
  /** From a terminal or a script, not from this page. */
  external: boolean;
  /** The user an external request authenticated as. */
  user?: string;
}

const LIMIT = 100;

export class RestHistory {
  entries = $state<RestHistoryEntry[]>([]);
  private seq = 0;

  add(entry: Omit<RestHistoryEntry, 'seq'>): void {
    this.entries = [{ ...entry, seq: ++this.seq }, ...this.entries].slice(0, LIMIT);
  }

  clear(): void {
    this.entries = [];
  }
}
