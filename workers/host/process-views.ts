/**
 * `ps` and `esxcfg-advcfg -l` on the lab's ESXi host. No verbatim NSX-era listing is in the
 * sources: the columns follow ESXi's busybox `ps` (world id, cartel id, world name) and the
 * advanced options those the NSX host agent reads (RabbitMQ settings under /UserVars).
 */
import type { HostState } from './host-state';

/** Worlds every ESXi host runs, with the lab's fixed ids. */
const SYSTEM_WORLDS: [number, string][] = [
  [1, 'init'],
  [2101, 'vmsyslogd'],
  [2141, 'hostd'],
  [2187, 'vpxa'],
  [2233, 'sfcbd'],
  [2301, 'netcpa'],
];

export function psListing(host: HostState, vsfwd: { running: boolean; pid: number }): string {
  const rows: [number, number, string][] = SYSTEM_WORLDS.map(([w, n]) => [w, w, n]);
  if (vsfwd.running) rows.push([vsfwd.pid, vsfwd.pid, 'vsfwd'], [vsfwd.pid + 1, vsfwd.pid, 'vsfwd-watchdog']);
  else rows.push([2401, 2401, 'vsfwd-watchdog']);
  for (const vm of host.vms) rows.push([vm.worldId, vm.worldId, `vmx-vmm0:${vm.name}`]);
  rows.sort((a, b) => a[0] - b[0]);
  return ['WID      CID      World Name', ...rows.map(([w, c, n]) => `${String(w).padEnd(8)} ${String(c).padEnd(8)} ${n}`)].join('\n');
}

export function advcfgList(brokerIp: string): string {
  return [
    `/UserVars/RmqIpAddress [String] : IP address of the RabbitMQ broker the NSX agent connects to (current: ${brokerIp})`,
    '/UserVars/RmqPort [String] : Port of the RabbitMQ broker (current: 5671)',
    '/UserVars/RmqVHost [String] : Virtual host on the RabbitMQ broker (current: /)',
    '/UserVars/RmqUsername [String] : User the NSX agent logs in as (current: the host\'s UUID)',
    '/UserVars/RmqSslCertSha1ThumbprintBase64 [String] : Thumbprint of the broker certificate',
    '/UserVars/RmqHostId [String] : Managed object id of this host in vCenter',
    '/Net/TcpipHeapSize [Integer] : Size of heap in megabytes for the TCPIP module (current: 32)',
    '/Net/TcpipHeapMax [Integer] : Max megabytes the TCPIP module heap can grow to (current: 512)',
  ].join('\n');
}
