/**
 * Where each solution action happens in the screens, so "Show me" can take the learner there,
 * point at the control and say what is about to happen before doing it.
 */
import type { Action } from '../../workers/scenario/schema';

interface ShowMeStop {
  /** Hash route of the screen, or null to stay where the learner is. */
  route: string | null;
  /** The control to point at: a CSS selector inside the page, and text it must contain. */
  control: { selector: string; text?: string } | null;
  /** What is about to happen, in plain words. */
  say: string;
}

/** Names the lab knows by moid on some routes (consoles): the caller passes a lookup. */
type MoidOf = (name: string) => string | undefined;

export function showMeStop(a: Action, moidOf: MoidOf): ShowMeStop {
  switch (a.op) {
    case 'api':
      return { route: '/rest', control: { selector: 'button[type="submit"]', text: 'Send' }, say: `Send ${a.method} ${a.path.replace(/\{\{[^}]*\}\}/g, '…').split('?')[0]} to NSX Manager from the REST API screen` };
    case 'publish':
      return { route: '/nsx/firewall', control: { selector: 'button', text: 'Publish' }, say: 'Publish the firewall changes from Networking & Security → Firewall' };
    case 'guest':
    case 'host': {
      const name = a.op === 'guest' ? a.vm : a.host;
      const moid = moidOf(name);
      return { route: moid ? `/consoles/${moid}` : '/consoles', control: { selector: '.xterm, [role="log"], pre' }, say: `Run \`${a.cmd}\` in the console of ${name}` };
    }
    case 'vmotion':
      return { route: '/', control: { selector: 'li', text: a.vm }, say: `Migrate ${a.vm} to ${a.to} with vMotion (Hosts and Clusters: drag the VM onto the host, or its Migrate button)` };
    case 'power':
      return { route: '/', control: { selector: 'li', text: a.vm }, say: `Power ${a.state} ${a.vm} from Hosts and Clusters` };
    case 'traffic':
      return { route: '/', control: { selector: 'button[type="submit"]', text: 'Send probe' }, say: `Send ${a.proto.toUpperCase()}${a.port !== undefined ? ` ${a.port}` : ''} from ${a.from} to ${a.to} with the probe panel` };
    case 'session':
      return { route: '/', control: { selector: 'button[type="submit"]', text: 'Send probe' }, say: a.do === 'open' ? `Open a TCP connection from ${a.from} to ${a.to} on port ${a.port}` : `${a.do === 'send' ? 'Send data on' : 'Close'} the open connection` };
    case 'vsfwd': {
      const moid = moidOf(a.host);
      return { route: moid ? `/consoles/${moid}` : '/consoles', control: { selector: '.xterm, pre' }, say: `${a.do === 'crash' ? 'Crash' : a.do === 'stop' ? 'Stop' : 'Start'} vsfwd on ${a.host}` };
    }
    case 'manager':
      return { route: '/', control: null, say: `Take NSX Manager ${a.state}` };
    case 'bus':
      return { route: '/bus', control: null, say: `${a.state === 'cut' ? 'Cut' : 'Heal'} the message bus link of ${a.host}` };
    case 'wait':
      return { route: null, control: null, say: `Let ${a.seconds} s of lab time pass` };
  }
}
