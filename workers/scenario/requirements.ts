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
  | 'op:bus'
  /** A SpoofGuard policy set over REST reaches the hosts: slot 1 drops unapproved addresses. */
  | 'spoofguard'
  /** The ESXi shell has the DFW tools: `summarize-dvfilter`, `vsipioctl`. */
  | 'host-cli'
  /** Hosts sample the thresholds and raise the connections-per-second alarm. */
  | 'cps-alarm';

export const CAPABILITY_LABELS: Record<Capability, string> = {
  manager: 'NSX Manager (REST API and publish)',
  firewall: 'the distributed firewall in the hosts’ kernels',
  'op:vsfwd': 'vsfwd crash/stop/start',
  'op:manager': 'NSX Manager down/up',
  'op:bus': 'message-bus cut/heal',
  spoofguard: 'SpoofGuard policies enforced in the hosts’ kernels',
  'host-cli': 'summarize-dvfilter and vsipioctl in the ESXi shell',
  'cps-alarm': 'the connections-per-second threshold alarm',
};

/** ESXi shell commands that only a host with the DFW tools answers. */
const HOST_CLI = /^\s*(summarize-dvfilter|vsipioctl)\b/;
const SPOOFGUARD_PATH = '/api/4.0/services/spoofguard';
const THRESHOLDS_PATH = '/api/4.0/firewall/stats/eventthresholds';

export function requirementsOf(s: Scenario): Set<Capability> {
  const needs = new Set<Capability>();
  for (const step of s.steps) {
    for (const a of [...(step.do ?? []), ...(step.solution ?? [])]) {
      if (a.op === 'api' || a.op === 'publish') needs.add('manager');
      if (a.op === 'vsfwd' || a.op === 'manager' || a.op === 'bus') needs.add(`op:${a.op}`);
      if (a.op === 'api' && a.path.startsWith(SPOOFGUARD_PATH)) needs.add('spoofguard');
      if (a.op === 'api' && a.path.startsWith(THRESHOLDS_PATH) && a.method.toUpperCase() === 'PUT') needs.add('cps-alarm');
      if (a.op === 'host' && HOST_CLI.test(a.cmd)) needs.add('host-cli');
    }
    for (const c of step.goal ?? []) {
      if (c.check === 'api') needs.add('manager');
      if (c.check === 'traffic' || c.check === 'reach' || c.check === 'session') needs.add('firewall');
      if (c.check === 'traffic' && c.by === 'spoofguard') needs.add('spoofguard');
    }
  }
  if (needs.has('manager')) needs.add('firewall');
  return needs;
}

/**
 * Probes a freshly booted classroom lab for each capability. The probes change the lab (a
 * SpoofGuard policy, the thresholds, a few minutes of lab time): give it a throwaway lab.
 */
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
  if (await hasHostCli(api)) has.add('host-cli');
  if (has.has('manager') && has.has('firewall')) {
    if (await enforcesSpoofGuard(api)) has.add('spoofguard');
    if (await raisesCpsAlarm(api)) has.add('cps-alarm');
  }
  return has;
}

async function hasHostCli(api: LabApi): Promise<boolean> {
  try {
    const outputs = [await api.host('esxcomp-01a', 'summarize-dvfilter'), await api.host('esxcomp-01a', 'vsipioctl getrules -f nic-35677-eth0-vmware-sfw.2')];
    return outputs.every((o) => !/^-sh: [^:]+: not found/m.test(o));
  } catch {
    return false;
  }
}

/** A manual-mode policy on Web-LS with nothing approved: if the kernels enforce it, slot 1 drops web traffic. */
async function enforcesSpoofGuard(api: LabApi): Promise<boolean> {
  try {
    const r = await api.rest({
      method: 'POST',
      path: `${SPOOFGUARD_PATH}/policies/`,
      headers: { 'Content-Type': 'application/xml' },
      body: '<spoofguardPolicy><name>capability probe</name><operationMode>MANUAL</operationMode><enforcementPoint><id>virtualwire-1</id></enforcementPoint><allowLocalIPs>false</allowLocalIPs></spoofguardPolicy>',
    });
    if (r.status !== 201) return false;
    await api.rest({ method: 'POST', path: `${SPOOFGUARD_PATH}/${r.body.trim()}?action=publish` });
    await api.wait(1);
    const p = await api.probe({ from: 'web-sv-01a', to: 'web-sv-01b', proto: 'tcp', port: 80 });
    await api.rest({ method: 'DELETE', path: `${SPOOFGUARD_PATH}/policies/${r.body.trim()}` });
    return p.by === 'spoofguard';
  } catch {
    return false;
  }
}

/** Threshold 0, then a new connection every 10 s for 21 samples: a host that samples raises the alarm. */
async function raisesCpsAlarm(api: LabApi): Promise<boolean> {
  try {
    const put = await api.rest({
      method: 'PUT',
      path: THRESHOLDS_PATH,
      headers: { 'Content-Type': 'application/xml' },
      body: '<eventThresholds><cpu><percentValue>100</percentValue></cpu><memory><percentValue>100</percentValue></memory><connectionsPerSecond><value>0</value></connectionsPerSecond></eventThresholds>',
    });
    if (put.status >= 300) return false;
    for (let i = 0; i < 22; i++) {
      await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
      await api.wait(10);
    }
    return api.lab.events.some((e) => /connections per second/i.test(e.text));
  } catch {
    return false;
  }
}

export function missing(needs: Set<Capability>, has: Set<Capability>): Capability[] {
  return [...needs].filter((n) => !has.has(n));
}
