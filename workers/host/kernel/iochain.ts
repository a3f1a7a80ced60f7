/**
 * The per-vNIC IOChain: which agent sits in which dvfilter slot, with the failure policy and
 * filter source `summarize-dvfilter` shows, and the order packets walk the slots.
 * Outbound (VM → switch) runs slot 0 → 1 → 2; inbound runs 2 → 1 → 0.
 */
import { filterName } from '../../protocol/inventory';
import type { SfwFilter } from './sfw/filter';
import { SwitchSecurity } from './swsec';
import type { VnicAttachment } from './types';

type FailurePolicy = 'failOpen' | 'failClosed';

interface SlotAgent {
  slot: 0 | 1 | 2;
  agent: string;
  module: string;
  failurePolicy: FailurePolicy;
  filterSource: string;
}

/** The spec lists slot 0 on a VXLAN dvPort as failClosed with source "Invalid". */
export const SLOT_AGENTS: readonly SlotAgent[] = [
  { slot: 0, agent: 'dvfilter-generic-vmware', module: 'dvfilter-generic-fastpath', failurePolicy: 'failClosed', filterSource: 'Invalid' },
  { slot: 1, agent: 'dvfilter-generic-vmware-swsec', module: 'dvfilter-switch-security', failurePolicy: 'failClosed', filterSource: 'Alternate Opaque Channel' },
  { slot: 2, agent: 'vmware-sfw', module: 'vsip', failurePolicy: 'failClosed', filterSource: 'Dynamic Filter Creation' },
];

export const OUTBOUND_ORDER: readonly (0 | 1 | 2)[] = [0, 1, 2];
export const INBOUND_ORDER: readonly (0 | 1 | 2)[] = [2, 1, 0];

export class VnicChain {
  readonly names: [string, string, string];
  readonly swsec: SwitchSecurity;
  sfw: SfwFilter | null = null;

  constructor(
    public attachment: VnicAttachment,
    readonly port: number,
  ) {
    const vm = { worldId: attachment.worldId };
    this.names = [filterName(vm, attachment.vnicIndex, 0), filterName(vm, attachment.vnicIndex, 1), filterName(vm, attachment.vnicIndex, 2)];
    this.swsec = new SwitchSecurity(attachment.mac);
  }

  get key(): string {
    return vnicKey(this.attachment.worldId, this.attachment.vnicIndex);
  }
}

export function vnicKey(worldId: number, vnicIndex: number): string {
  return `${worldId}:${vnicIndex}`;
}
