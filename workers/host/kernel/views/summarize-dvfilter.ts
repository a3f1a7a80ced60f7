/**
 * `summarize-dvfilter`: the agents (fastpaths) loaded on the host and, per world and port,
 * the filters in each IOChain slot, in the layout NSX-V 6.2 hosts print.
 */
import { SLOT_AGENTS, type VnicChain } from '../iochain';

const REV = 'rev: 0x1010000, apiRev: 0x1010000';

/** `5026b74d-c56c-1ed9-47c0-092595802fad` → `50 26 b7 4d c5 6c 1e d9-47 c0 09 25 95 80 2f ad`. */
export function vcUuidText(uuid: string): string {
  const hex = uuid.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  if (hex.length !== 32) return uuid;
  const bytes = hex.match(/../g)!;
  return `${bytes.slice(0, 8).join(' ')}-${bytes.slice(8).join(' ')}`;
}

function slotBlock(label: string, name: string, slot: 0 | 1 | 2): string[] {
  const a = SLOT_AGENTS[slot];
  return [
    `  ${label} slot ${slot}`,
    `   name: ${name}`,
    `   agentName: ${a.agent}`,
    '   state: IOChain Attached',
    '   vmState: Detached',
    `   failurePolicy: ${a.failurePolicy}`,
    '   slowPathID: none',
    `   filter source: ${a.filterSource}`,
  ];
}

export function summarizeDvfilter(chains: readonly VnicChain[]): string {
  const count = (slot: number) => chains.filter((c) => slot !== 2 || c.sfw !== null).length;
  const lines = [
    'Fastpaths:',
    `agent: dvfilter-faulter, refCount: 1, ${REV}, module: dvfilter`,
    `agent: ESXi-Firewall, refCount: 1, ${REV}, module: esxfw`,
    ...SLOT_AGENTS.map((a) => `agent: ${a.agent}, refCount: ${count(a.slot)}, ${REV}, module: ${a.module}`),
    '',
    'Slowpaths:',
    '',
    'Filters:',
    'world 0 <no world>',
    ' port 50331650 vmk0',
    '  vNic slot 0',
    '   name: nic-0-eth4294967295-ESXi-Firewall.0',
    '   agentName: ESXi-Firewall',
    '   state: IOChain Attached',
    '   vmState: Detached',
    '   failurePolicy: failOpen',
    '   slowPathID: none',
    '   filter source: Invalid',
  ];
  const byWorld = new Map<number, VnicChain[]>();
  for (const c of chains) byWorld.set(c.attachment.worldId, [...(byWorld.get(c.attachment.worldId) ?? []), c]);
  for (const [world, list] of [...byWorld].sort((x, y) => x[0] - y[0])) {
    const a = list[0].attachment;
    lines.push(`world ${world} vmm0:${a.vmName} vcUuid:'${vcUuidText(a.vcUuid)}'`);
    for (const c of [...list].sort((x, y) => x.attachment.vnicIndex - y.attachment.vnicIndex)) {
      lines.push(` port ${c.port} ${a.vmName}.eth${c.attachment.vnicIndex}`);
      if (c.sfw) lines.push(...slotBlock('vNic', c.names[2], 2));
      lines.push(...slotBlock('vNic', c.names[1], 1));
      lines.push(...slotBlock('vNic', c.names[0], 0));
    }
  }
  return lines.join('\n') + '\n';
}
