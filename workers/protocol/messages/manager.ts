/**
 * What NSX Manager accepts: REST requests, publishes and logins from the lab; the appliance
 * going down or up; vCenter's inventory and EAM's host preparation reports; Guest
 * Introspection's logons; the Users and Groups screen's reads and edits; its bus link's
 * messages (the broker's, and its own start and heartbeat timers). Each request names its reply.
 */
import type { Address } from './envelope';
import type { BusClientMessages } from './bus';
import type { HostPrepReport } from './vcenter';
import type { FlowRecord, ThresholdView } from '../host-reports';
import type { DirectoryEdit, IdentityEvent, IdentityView } from '../identity';
import type { Inventory } from '../inventory';
import type { RestRequest, RestResponse } from '../rest';

/** The manager's end of the bus: the broker's messages and the link's own timers. */
export type ManagerLinkMessages = BusClientMessages & {
  'bus-start': { body: object; reply: void };
  'bus-heartbeat': { body: object; reply: void };
};

export type ManagerMessages = ManagerLinkMessages & {
  /** The appliance is powered down or back up (a fault a lesson injects). */
  appliance: { body: { state: 'up' | 'down' }; reply: { ok: true } };
  rest: { body: RestRequest; reply: RestResponse };
  publish: { body: object; reply: { generation: number } };
  /** A login to the screens or the API, for the audit log. */
  login: { body: { user: string; via: 'ui' | 'rest'; ok: boolean }; reply: { ok: true } };
  'inventory-changed': { body: Inventory; reply: void };
  'host-prep-status': { body: HostPrepReport; reply: void };
  /** What the hosts reported over the bus: threshold views and live flows per host. */
  'bus-view': { body: object; reply: { thresholds: Record<string, ThresholdView>; liveFlows: Record<string, FlowRecord[]> } };
  'threshold-history': { body: { since?: Record<string, number> }; reply: Record<string, ThresholdView[]> };
  'identity-event': { body: IdentityEvent; reply: void };
  'identity-view': { body: object; reply: IdentityView };
  'identity-edit': { body: DirectoryEdit; reply: { ok: true; view: IdentityView } | { ok: false; error: string } };
  /** Which logon put a probe's source in the deciding rule's directory group, in words (null: none). */
  'identity-explain': { body: { ruleId: number; src: string; dst: string }; reply: { text: string | null } };
};

export const MANAGER: Address<ManagerMessages> = 'manager';
