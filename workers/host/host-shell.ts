/** The ESXi shell: the commands a learner types on a host. Unknown commands answer like a shell does. */
import type { EsxHost } from './host';

export const HOST_COMMANDS = ['esxcli network vm list', 'hostname', 'help'];

export function runHostCommand(host: EsxHost, line: string): string {
  const cmd = line.trim().replace(/\s+/g, ' ');
  const s = host.state;
  switch (cmd) {
    case '':
      return '';
    case 'hostname':
      return s.name;
    case 'esxcli network vm list':
      return [
        'World ID  Name         Num Ports  Networks',
        '--------  -----------  ---------  --------',
        ...s.vms.map((vm) => `${String(vm.worldId).padEnd(8)}  ${vm.name.padEnd(11)}  ${String(vm.vnics.length).padEnd(9)}  ${vm.vnics.map((n) => n.network).join(', ')}`),
      ].join('\n');
    case 'help':
      return `commands: ${HOST_COMMANDS.join(', ')}`;
    default:
      return `-sh: ${cmd.split(' ')[0]}: not found`;
  }
}
