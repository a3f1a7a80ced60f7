/** One-line English labels for actions and checks: runner output, the player's checklist, the answer key. */
import type { Action, Check } from './schema';

function flow(x: { from: string; to: string; proto: string; port?: number; flags?: string }): string {
  const port = x.port !== undefined ? `/${x.port}` : '';
  const flags = x.flags ? ` [${x.flags.toUpperCase()}]` : '';
  return `${x.from} → ${x.to} ${x.proto}${port}${flags}`;
}

function short(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function describeAction(a: Action): string {
  switch (a.op) {
    case 'api':
      return `${a.method} ${short(a.path, 90)}${a.as ? ` (as ${a.as})` : ''}`;
    case 'guest':
      return `${a.vm}$ ${short(a.cmd)}`;
    case 'host':
      return `[root@${a.host}:~] ${short(a.cmd)}`;
    case 'vmotion':
      return `vMotion ${a.vm} to ${a.to}`;
    case 'power':
      return `power ${a.state} ${a.vm}`;
    case 'vsfwd':
      return `vsfwd ${a.do} on ${a.host}`;
    case 'manager':
      return `NSX Manager ${a.state}`;
    case 'bus':
      return `message bus ${a.state} for ${a.host}`;
    case 'wait':
      return `wait ${a.seconds} s`;
    case 'traffic':
      return `traffic ${flow(a)}`;
    case 'session':
      return a.do === 'open' ? `open session ${a.name}: ${a.from} → ${a.to} tcp/${a.port}` : `${a.do} session ${a.name}`;
    case 'publish':
      return 'publish';
  }
}

export function describeCheck(c: Check): string {
  switch (c.check) {
    case 'traffic': {
      const extra = [c.by ? `by ${c.by}` : '', c.rule !== undefined ? `rule ${c.rule}` : ''].filter(Boolean).join(', ');
      return `${flow(c)} is ${c.expect}${extra ? ` (${extra})` : ''}`;
    }
    case 'session':
      return `session ${c.name} is ${c.expect}`;
    case 'response': {
      const parts = [c.status !== undefined ? `status ${c.status}` : '', c.contains !== undefined ? `body contains "${short(c.contains, 40)}"` : '', ...Object.entries(c.header ?? {}).map(([k, v]) => `${k}: ${v}`)].filter(Boolean);
      return `response ${c.of}: ${parts.join(', ') || 'recorded'}`;
    }
    case 'api': {
      const parts = [c.status !== undefined ? `answers ${c.status}` : 'answers', c.contains !== undefined ? `with "${short(c.contains, 40)}"` : ''].filter(Boolean);
      return `${c.method} ${short(c.path, 90)} ${parts.join(' ')}`;
    }
    case 'output': {
      const parts = [
        c.contains !== undefined ? `contains "${short(c.contains, 40)}"` : '',
        c.matches !== undefined ? `matches /${short(c.matches, 40)}/` : '',
        c.absent !== undefined ? `has no "${short(c.absent, 40)}"` : '',
      ].filter(Boolean);
      return `output of ${c.of} ${parts.join(' and ')}`;
    }
    case 'event':
      return `event log has "${short(c.contains, 50)}"${c.source ? ` from ${c.source}` : ''}`;
    case 'reach':
      return `${c.app === 'vcenter' ? 'vCenter' : 'NSX Manager'} screens are ${c.expect} from the admin workstation`;
  }
}
