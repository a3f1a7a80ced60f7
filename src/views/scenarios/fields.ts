/** What the author screen offers for each action and check: fields, and the pickers they use. */
import type { ActionOp, CheckKind } from '../../../workers/scenario/schema';

type FieldKind = 'text' | 'textarea' | 'number' | 'vm' | 'host' | 'target' | 'choice' | 'headers';

export interface Field {
  name: string;
  kind: FieldKind;
  choices?: string[];
  optional?: boolean;
}

const proto: Field = { name: 'proto', kind: 'choice', choices: ['tcp', 'udp', 'icmp'] };
const as: Field = { name: 'as', kind: 'text', optional: true };

export const ACTION_FIELDS: Record<ActionOp, Field[]> = {
  api: [{ name: 'method', kind: 'choice', choices: ['GET', 'PUT', 'POST', 'DELETE'] }, { name: 'path', kind: 'text' }, { name: 'headers', kind: 'headers', optional: true }, { name: 'body', kind: 'textarea', optional: true }, as],
  guest: [{ name: 'vm', kind: 'vm' }, { name: 'cmd', kind: 'text' }, as],
  host: [{ name: 'host', kind: 'host' }, { name: 'cmd', kind: 'text' }, as],
  vmotion: [{ name: 'vm', kind: 'vm' }, { name: 'to', kind: 'host' }],
  power: [{ name: 'vm', kind: 'vm' }, { name: 'state', kind: 'choice', choices: ['on', 'off'] }],
  vsfwd: [{ name: 'host', kind: 'host' }, { name: 'do', kind: 'choice', choices: ['crash', 'stop', 'start'] }],
  manager: [{ name: 'state', kind: 'choice', choices: ['down', 'up'] }],
  bus: [{ name: 'host', kind: 'host' }, { name: 'state', kind: 'choice', choices: ['cut', 'heal'] }],
  wait: [{ name: 'seconds', kind: 'number' }],
  traffic: [{ name: 'from', kind: 'vm' }, { name: 'to', kind: 'target' }, proto, { name: 'port', kind: 'number', optional: true }, { name: 'flags', kind: 'text', optional: true }, as],
  session: [{ name: 'name', kind: 'text' }, { name: 'do', kind: 'choice', choices: ['open', 'send', 'close'] }, { name: 'from', kind: 'vm', optional: true }, { name: 'to', kind: 'target', optional: true }, { name: 'proto', kind: 'choice', choices: ['tcp'], optional: true }, { name: 'port', kind: 'number', optional: true }],
  publish: [],
};

export const CHECK_FIELDS: Record<CheckKind, Field[]> = {
  traffic: [{ name: 'from', kind: 'vm' }, { name: 'to', kind: 'target' }, proto, { name: 'port', kind: 'number', optional: true }, { name: 'flags', kind: 'text', optional: true }, { name: 'expect', kind: 'choice', choices: ['allowed', 'dropped'] }, { name: 'rule', kind: 'number', optional: true }, { name: 'by', kind: 'choice', choices: ['rule', 'state', 'spoofguard', 'excluded', 'no-filter'], optional: true }],
  session: [{ name: 'name', kind: 'text' }, { name: 'expect', kind: 'choice', choices: ['alive', 'dead'] }],
  response: [{ name: 'of', kind: 'text' }, { name: 'status', kind: 'number', optional: true }, { name: 'contains', kind: 'text', optional: true }, { name: 'header', kind: 'headers', optional: true }],
  api: [{ name: 'method', kind: 'choice', choices: ['GET', 'PUT', 'POST', 'DELETE'] }, { name: 'path', kind: 'text' }, { name: 'headers', kind: 'headers', optional: true }, { name: 'body', kind: 'textarea', optional: true }, { name: 'status', kind: 'number', optional: true }, { name: 'contains', kind: 'text', optional: true }],
  output: [{ name: 'of', kind: 'text' }, { name: 'contains', kind: 'text', optional: true }, { name: 'matches', kind: 'text', optional: true }],
  event: [{ name: 'contains', kind: 'text' }, { name: 'source', kind: 'text', optional: true }],
  reach: [{ name: 'app', kind: 'choice', choices: ['vcenter', 'nsx-manager'] }, { name: 'expect', kind: 'choice', choices: ['up', 'down'] }],
};

/** A new item with its required fields filled with the first sensible choice. */
export function blank(fields: Field[], key: 'op' | 'check', kind: string, vms: string[], hosts: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { [key]: kind };
  for (const f of fields) {
    if (f.optional) continue;
    if (f.kind === 'choice') out[f.name] = f.choices![0];
    else if (f.kind === 'vm' || f.kind === 'target') out[f.name] = vms[0] ?? '';
    else if (f.kind === 'host') out[f.name] = hosts[0] ?? '';
    else if (f.kind === 'number') out[f.name] = 0;
    else out[f.name] = f.name === 'path' ? '/api/4.0/firewall/globalroot-0/config' : '';
  }
  return out;
}
