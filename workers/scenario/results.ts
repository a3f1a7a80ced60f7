/** What an action records under its `as` name, for later checks and `{{NAME.…}}` references. */
import type { RestResponse } from '../lab/lab-api';

export type RecordedResult =
  | { kind: 'api'; request: { method: string; path: string }; response: RestResponse }
  | { kind: 'text'; source: string; text: string }
  | { kind: 'traffic'; verdict: 'allowed' | 'dropped'; by: string; ruleId?: number; detail: string };

export type Results = Map<string, RecordedResult>;
