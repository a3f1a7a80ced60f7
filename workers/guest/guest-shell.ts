/** The commands a learner types in a VM's console. Answers read like a Linux shell's. */
import ipaddr from 'ipaddr.js';
import type { Guest, GuestIO } from './guest';
import { runServiceCommand } from './services';
import { runLogonCommand } from './logon';
import { runIperfServer } from './iperf';
import { runLsnrctl } from './oracle';

/** iproute2's own refusal; nothing is changed when an argument is wrong. */
function addressError(address: string, dev: string): string | undefined {
  const [ip, prefix = '32', extra] = address.split('/');
  const prefixOk = /^\d{1,2}$/.test(prefix) && Number(prefix) <= 32;
  if (extra !== undefined || !ipaddr.IPv4.isValidFourPartDecimal(ip) || !prefixOk) return `Error: any valid prefix is expected rather than "${address}".`;
  if (dev !== 'eth0') return `Cannot find device "${dev}"`;
  return undefined;
}

/** `ping`, `nc` and `curl` run in the lab API (they wait for the network), see net-tools.ts. */
const GUEST_COMMANDS = ['ip addr', 'ip addr replace', 'service vmware-tools', 'service vsftpd', 'service nfs-server', 'service samba-ad-dc', 'lsnrctl start', 'hostname', 'arp -n', 'ss -tn', 'ping', 'nc', 'curl', 'ftp', 'ftp -p', 'rpcinfo -t', 'rpcinfo -u', 'tnsping', 'sqlplus', 'rpcclient', 'login', 'logout', 'whoami', 'iperf -s', 'iperf -c', 'govc', 'help'];

// eslint-disable-next-line no-control-regex -- a typed line loses C0/C1 controls before any command sees it (issue 18)
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;

export function runGuestCommand(guest: Guest, line: string, io: GuestIO): string {
  const cmd = line.replace(CONTROLS, ' ').trim().replace(/\s+/g, ' ');
  const s = guest.state;
  const replace = /^ip (?:addr|address|a) (?:replace|add|change) (\S+) dev (\S+)$/.exec(cmd);
  if (replace) {
    const error = addressError(replace[1], replace[2]);
    if (error) return error;
    const [ip, prefix = '32'] = replace[1].split('/');
    guest.setAddress(ip, Number(prefix), io);
    return '';
  }
  const tools = /^(?:service vmware-tools|systemctl) (start|stop|status)(?: vmware-tools| open-vm-tools| vmtoolsd)?$/.exec(cmd);
  if (tools) {
    if (tools[1] === 'status') return `vmware-tools is ${s.toolsRunning ? 'running' : 'stopped'}`;
    guest.setTools(tools[1] === 'start', io);
    return `${tools[1] === 'start' ? 'Starting' : 'Stopping'} VMware Tools services in the virtual machine: [  OK  ]`;
  }
  const service = runServiceCommand(guest.state, cmd) ?? runIperfServer(guest.state, cmd) ?? runLsnrctl(guest.state, cmd);
  if (service !== null) return service;
  const logon = runLogonCommand(s, cmd, {
    emit: (text) => io.emit({ kind: 'log', file: 'Security', text }),
    report: (event, user) => io.identity?.(event, user),
  });
  if (logon !== null) return logon;
  switch (cmd) {
    case '':
      return '';
    case 'ip addr':
    case 'ip a':
    case 'ip address':
      return [
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536',
        '    inet 127.0.0.1/8 scope host lo',
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500',
        `    link/ether ${s.mac} brd ff:ff:ff:ff:ff:ff`,
        `    inet ${s.ip}/${s.prefix} scope global eth0`,
      ].join('\n');
    case 'hostname':
      return s.name;
    case 'arp -n':
      return ['Address                  HWtype  HWaddress           Iface', ...Object.entries(s.arp).map(([ip, e]) => `${ip.padEnd(25)}ether   ${e.mac}   eth0`)].join('\n');
    case 'ss -tn':
      return [
        'State      Local Address:Port        Peer Address:Port',
        ...s.conns.map((c) => `${c.state.padEnd(10)} ${`${s.ip}:${c.localPort}`.padEnd(25)} ${c.remoteIp}:${c.remotePort}`),
      ].join('\n');
    case 'help':
      return `commands: ${GUEST_COMMANDS.join(', ')}`;
    default:
      return `-bash: ${cmd.split(' ')[0]}: command not found`;
  }
}
