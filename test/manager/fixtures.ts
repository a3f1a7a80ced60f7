/** Test fixtures: the classroom inventory, a manual clock and a manager talking HTTP shapes. */
import preset from '../../workers/lab/presets/classroom.json';
import type { SimContext } from '../../workers/lab/context';
import type { EventInput } from '../../workers/protocol/events';
import { NsxManager, type RestResponse } from '../../workers/manager/manager';
import type { Inventory } from '../../workers/protocol/inventory';
import { CLASSROOM, inventoryOf } from '../../workers/lab/presets/build-lab';
import { XMLParser } from 'fast-xml-parser';

export function classroomInventory(): Inventory {
  // The same inventory a classroom lab boots with.
  return inventoryOf(CLASSROOM);
}

export const T0 = Date.UTC(2024, 4, 1, 9, 0, 0);

export class TestContext implements SimContext {
  t = T0;
  events: EventInput[] = [];
  now(): number {
    return this.t;
  }
  random(): number {
    return 0.5;
  }
  emit(event: EventInput): void {
    this.events.push(event);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export function newManager(inventory = classroomInventory()) {
  const ctx = new TestContext();
  const manager = new NsxManager(NsxManager.initialState(preset, inventory), ctx);
  return { ctx, manager, inventory };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, isArray: (name) => ['section', 'rule', 'source', 'destination', 'service', 'appliedTo', 'firewallDraft', 'securitygroup', 'securityTag', 'ipset', 'excludeMember', 'hostStatus', 'clusterStatus', 'spoofguard', 'spoofguardPolicy', 'ipAddress', 'basicinfo', 'securityPolicy', 'application', 'flowStatsTcpUdp', 'string', 'vmnode', 'config'].includes(name) });

/** Parses a response body for assertions (attributes as `@name`). */
export function parse(res: RestResponse | string): any {
  return parser.parse(typeof res === 'string' ? res : res.body);
}

export const FW = '/api/4.0/firewall/globalroot-0';

/** Shorthand for HTTP-shaped calls. */
export function api(manager: NsxManager) {
  const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) => manager.rest({ method, path, body, headers: body ? { 'Content-Type': 'application/xml', ...headers } : headers });
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: string, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body?: string, headers?: Record<string, string>) => call('PUT', path, body, headers),
    del: (path: string, headers?: Record<string, string>) => call('DELETE', path, undefined, headers),
  };
}
