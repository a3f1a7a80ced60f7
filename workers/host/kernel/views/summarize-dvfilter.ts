/**
 * `summarize-dvfilter`: the agents (fastpaths) loaded on the host and, per world and port,
 * the filters in each IOChain slot, in the layout NSX-V 6.2 hosts print. A vNIC lists its
 * slot 2 and slot 1 filters; a VM on a logical switch (VXLAN) also shows its dvPort's slot 0
 * filter (nsx-reference §2.2). The distributed switch's UUID is the lab's own.
 */
import { SLOT_AGENTS, type VnicChain } from '../iochain';
import type { PartnerSvm } from '../redirect/partner';

const REV = 'rev: 0x1010000, apiRev: 0x1010000';
/** The lab distributed switch's UUID, as dvPort slot-0 filter names carry it. */
const LAB_DVS_UUID = '50 13 2f 7a 1c 9e 4b 0d-8a 3c 6e 21 d4 5f 90 b7';

const onVxlan = (c: VnicChain) => c.attachment.network.startsWith('virtualwire-');

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

/** Slot 4: the partner's serviceinstance filter, with the service's failure policy and its slow path. */
function slot4Block(name: string, p: PartnerSvm): string[] {
  return [
    '  vNic slot 4',
    `   name: ${name}`,
    `   agentName: ${p.instanceId}`,
    '   state: IOChain Attached',
    `   vmState: ${p.poweredOn ? 'Attached' : 'Detached'}`,
    `   failurePolicy: ${p.failurePolicy}`,
    '   slowPathID: 1',
    '   filter source: Dynamic Filter Creation',
  ];
}

/**
 * `partner`: the partner SVM deployed on this host, if any; `slot4`: a vNIC's slot 4 filter name.
 * The slow path lines are the lab's own layout (the seed's host has none to copy).
 */
export function summarizeDvfilter(chains: readonly VnicChain[], partner: PartnerSvm | null = null, slot4: (c: VnicChain) => string | null = () => null): string {
  const count = (slot: number) => chains.filter((c) => (slot === 0 ? onVxlan(c) : slot !== 2 || c.sfw !== null)).length;
  const agent = (a: (typeof SLOT_AGENTS)[number]) => `agent: ${a.agent}, refCount: ${count(a.slot)}, ${REV}, module: ${a.module}`;
  const lines = [
    'Fastpaths:',
    `agent: dvfilter-faulter, refCount: 1, ${REV}, module: dvfilter`,
    `agent: ESXi-Firewall, refCount: 1, ${REV}, module: esxfw`,
    agent(SLOT_AGENTS[0]),
    // Loaded with the NSX VIBs: multicast snooping and the distributed router's bridge learning.
    `agent: dvfg-igmp, refCount: 1, ${REV}, module: dvfg-igmp`,
    `agent: bridgelearningfilter, refCount: 1, ${REV}, module: vdrb`,
    agent(SLOT_AGENTS[1]),
    agent(SLOT_AGENTS[2]),
    ...(partner ? [`agent: ${partner.instanceId}, refCount: ${chains.filter((c) => slot4(c) !== null).length}, ${REV}, module: vmware-si`] : []),
    '',
    'Slowpaths:',
    ...(partner ? [`slowPathID: 1, agentName: ${partner.instanceId}, service: ${partner.serviceName}, SVM: ${partner.svmName} (${partner.poweredOn ? 'powered on, connected' : 'powered off, not connected'})`] : []),
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
      const s4 = partner ? slot4(c) : null;
      if (s4 && partner) lines.push(...slot4Block(s4, partner));
      if (c.sfw) lines.push(...slotBlock('vNic', c.names[2], 2));
      lines.push(...slotBlock('vNic', c.names[1], 1));
      if (onVxlan(c)) lines.push(...slotBlock('dvPort', `${c.port}-sw${LAB_DVS_UUID}.dvfilter-generic-vmware.0`, 0));
    }
  }
  return lines.join('\n') + '\n';
}
