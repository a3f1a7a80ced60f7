/**
 * What a scenario needs from the lab build, and what this build has. Lets the player say
 * "this lesson needs the firewall kernel, which this build does not have yet" instead of
 * failing mysteriously, and lets the tests wait for backend pieces without hard-coded skips.
 */
import type { LabApi } from '../lab/lab-api';
import { labHasOp } from './actions';
import type { Scenario } from './schema';

export type Capability =
  /** NSX Manager answers its REST API and publishes. */
  | 'manager'
  /** The kernel firewall (slot 2) is in the packet path. */
  | 'firewall'
  | 'op:vsfwd'
  | 'op:manager'
  | 'op:bus';

export const CAPABILITY_LABELS: Record<Capability, string> = {
  manager: 'NSX Manager (REST API and publish)',
  firewall: 'the distributed firewall in the hosts’ kernels',
  'op:vsfwd': 'vsfwd crash/stop/start',
  'op:manager': 'NSX Manager down/up',
  'op:bus': 'message-bus cut/heal',
};

export function requirementsOf(s: Scenario): Set<Capability> {
  const needs = new Set<Capability>();
  for (const step of s.steps) {
    for (const a of [...(step.do ?? []), ...(step.solution ?? [])]) {
      if (a.op === 'api' || a.op === 'publish') needs.add('manager');
      if (a.op === 'vsfwd' || a.op === 'manager' || a.op === 'bus') needs.add(`op:${a.op}`);
    }
    for (const c of step.goal ?? []) {
      if (c.check === 'api') needs.add('manager');
      if (c.check === 'traffic' || c.check === 'reach' || c.check === 'session') needs.add('firewall');
    }
  }
  if (needs.has('manager')) needs.add('firewall');
  return needs;
}

/** Probes a freshly booted lab for each capability. The lab is changed only by one probe and one GET. */
export async function detectCapabilities(api: LabApi): Promise<Set<Capability>> {
  const has = new Set<Capability>();
  try {
    const r = await api.rest({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/config' });
    if (r.status === 200) has.add('manager');
  } catch {
    /* no manager in this build */
  }
  try {
    const p = await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    if (p.trace.some((t) => t.slot === 2)) has.add('firewall');
  } catch {
    /* a lab without the classroom VMs */
  }
  for (const op of ['vsfwd', 'manager', 'bus'] as const) if (labHasOp(api, op)) has.add(`op:${op}`);
  return has;
}

export function missing(needs: Set<Capability>, has: Set<Capability>): Capability[] {
  return [...needs].filter((n) => !has.has(n));
}
