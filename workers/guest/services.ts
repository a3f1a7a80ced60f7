/**
 * Server daemons a learner starts in a VM's console: vsftpd (FTP on TCP/21), the NFS server
 * with rpcbind (the Sun RPC portmapper) and Samba AD DC (the MS-RPC endpoint mapper). Starting one adds its listening ports; stopping removes them.
 */
import type { GuestState } from './guest-state';
import { NFS_LISTENS } from './rpc';
import { SAMBA_LISTENS } from './msrpc';

const DAEMONS: Record<string, { listens: string[]; label: string }> = {
  vsftpd: { listens: ['tcp/21'], label: 'vsftpd' },
  'nfs-server': { listens: NFS_LISTENS, label: 'NFS server and services' },
  'nfs-kernel-server': { listens: NFS_LISTENS, label: 'NFS server and services' },
  // Samba as a domain controller: the MS-RPC endpoint mapper on 135 and its RPC interfaces.
  'samba-ad-dc': { listens: SAMBA_LISTENS, label: 'Samba AD DC' },
};

/** `service vsftpd start` / `systemctl stop nfs-server` …; null when the line is not about these daemons. */
export function runServiceCommand(s: GuestState, cmd: string): string | null {
  const m = /^(?:service (\S+) (start|stop|status|restart)|systemctl (start|stop|status|restart) (\S+?)(?:\.service)?)$/.exec(cmd);
  if (!m) return null;
  const name = m[1] ?? m[4];
  const action = m[2] ?? m[3];
  const daemon = DAEMONS[name];
  if (!daemon) return null;
  const running = daemon.listens.every((l) => s.listens.includes(l));
  if (action === 'status') return `${name} is ${running ? 'running' : 'stopped'} (${daemon.listens.join(', ')})`;
  s.listens = s.listens.filter((l) => !daemon.listens.includes(l));
  if (action !== 'stop') s.listens.push(...daemon.listens);
  const verb = action === 'stop' ? 'Stopping' : action === 'restart' ? 'Restarting' : 'Starting';
  return `${verb} ${daemon.label}: [  OK  ]`;
}
