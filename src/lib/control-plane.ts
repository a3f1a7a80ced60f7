/**
 * The control plane as an operator reads it: per host, is vsfwd running, is it connected to the
 * message bus, has it applied the generation NSX Manager published; and, for a probe, whether the
 * rules that decided it are older than what the manager published, and why.
 */
import type { LabApi, ProbeResult } from '../../workers/lab/lab-api';
import type { PublishStatus } from './nsx/publish-status';
import { allSections, type FwConfig } from './nsx/firewall-model';
import type { DecodedCapture } from '../../workers/protocol/payloads';

const VSFWD_SCRIPT = '/etc/init.d/vShield-Stateful-Firewall';

export interface HostControl {
  hostId: string;
  vsfwd: 'running' | 'stopped' | 'unknown';
  /** vsfwd holds a connection to the broker (TCP/5671). */
  connected: boolean;
  /** The host's link to the bus is cut. */
  cut: boolean;
  /** Messages waiting in the host's queue. */
  queueDepth: number;
}

type BusState = Awaited<ReturnType<LabApi['busState']>>;

export function hostControlFrom(hostId: string, bus: BusState, vsfwdStatus: string): HostControl {
  return {
    hostId,
    vsfwd: /is running/.test(vsfwdStatus) ? 'running' : /not running/.test(vsfwdStatus) ? 'stopped' : 'unknown',
    connected: bus.connections.some((c) => c.client === hostId),
    cut: bus.cut.includes(hostId),
    queueDepth: bus.queues.find((q) => q.name === `vsfw.${hostId}`)?.depth ?? 0,
  };
}

/** Reads the control-plane state of some hosts (read-only: the service script's status and the broker's view). */
export async function readHostControls(api: LabApi, hostIds: string[]): Promise<Record<string, HostControl>> {
  const bus = await api.busState();
  const out: Record<string, HostControl> = {};
  for (const id of hostIds) out[id] = hostControlFrom(id, bus, await api.host(id, `${VSFWD_SCRIPT} status`).catch(() => ''));
  return out;
}

/** Why a host has not applied the current generation, in words; '' when nothing explains it. */
export function hostCause(c: HostControl | undefined, status?: { status: string; errorCode: number }): string {
  if (!c) return '';
  if (c.vsfwd === 'stopped') return 'vsfwd is down';
  if (c.cut) return 'its link to the message bus is cut';
  if (!c.connected) return 'vsfwd is not connected to the message bus';
  if (status?.status === 'failed') return `it failed to apply the rule set${status.errorCode ? ` (error ${status.errorCode})` : ''}`;
  if (c.queueDepth > 0) return `${c.queueDepth} message${c.queueDepth === 1 ? '' : 's'} still wait in its queue`;
  return '';
}

interface ControlPlaneContext {
  /** null when NSX Manager did not answer. */
  status: PublishStatus | null;
  managerDown?: string;
  hosts: Record<string, HostControl>;
  /** The published configuration (for section generations and rule names), when read. */
  config?: FwConfig | null;
  hostName: (id: string) => string;
  /** The last generation each host reported applied (PublishReply on the bus), when known. */
  applied?: Record<string, number>;
}

/** The last generation each host applied, from captured PublishReply messages (protobuf JSON omits zero values). */
export function appliedGenerations(replies: Pick<DecodedCapture, 'type' | 'decoded'>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    if (r.type !== 'PublishReply' || !r.decoded || typeof r.decoded !== 'object') continue;
    const m = r.decoded as { hostId?: string; generation?: string | number; status?: string; errorCode?: number };
    const ok = m.status === undefined || /SUCCE|PUBLISHED|OK/.test(String(m.status));
    if (m.hostId && m.generation !== undefined && ok && !m.errorCode) out[m.hostId] = Math.max(out[m.hostId] ?? 0, Number(m.generation));
  }
  return out;
}

/** Hosts whose firewall (slot 2) saw the probe, the host that decided it first. */
export function hostsOnPath(p: ProbeResult): string[] {
  const slot2 = p.trace.filter((r) => r.slot === 2 && r.component.startsWith('host-'));
  const decider = slot2.find((r) => r.ruleId === p.ruleId && (r.table === 'default' || r.table === 'rule' || r.action === 'DROP' || r.action === 'REJECT'))?.component;
  const all = [...new Set(slot2.map((r) => r.component))];
  return decider ? [decider, ...all.filter((h) => h !== decider)] : all;
}

/**
 * Sentences for a probe whose verdict may come from stale rules: for each host on the path that
 * has not applied the published generation, which rules it is missing and why.
 */
export function explainControlPlane(p: ProbeResult, ctx: ControlPlaneContext): string[] {
  const onPath = hostsOnPath(p);
  if (!onPath.length) return [];
  if (!ctx.status) {
    return [`NSX Manager does not answer${ctx.managerDown ? ` (${ctx.managerDown})` : ''}: hosts keep enforcing the rules they last received, and nothing new can be published until it is back.`];
  }
  const out: string[] = [];
  for (const hostId of onPath) {
    const hs = ctx.status.hosts.find((h) => h.hostId === hostId);
    if (!hs) continue;
    const behind = hs.status !== 'published' || hs.generationNumber < ctx.status.generationNumber;
    if (!behind) continue;
    const name = ctx.hostName(hostId);
    const cause = hostCause(ctx.hosts[hostId], hs) || (hs.status === 'inprogress' ? 'the publish is still in progress' : `its publish status is ${hs.status}`);
    // While a publish is pending the status carries the new generation; the applied one comes from the host's replies.
    const applied = ctx.applied?.[hostId] ?? (hs.status === 'published' ? hs.generationNumber : undefined);
    const missing = applied !== undefined ? newerRules(ctx.config, applied) : newerRules(ctx.config, ctx.status.generationNumber - 1).filter(() => hs.generationNumber === ctx.status!.generationNumber);
    const what = missing.length
      ? `${missing.length === 1 ? 'rule' : 'rules'} ${missing.map((r) => r.id).join(', ')} ${missing.length === 1 ? 'is' : 'are'} published but host ${name} has not applied ${missing.length === 1 ? 'it' : 'them'}`
      : `generation ${ctx.status.generationNumber} is published but host ${name} has not applied it`;
    const decided = p.ruleId !== undefined && hostId === onPath[0] ? ` The verdict came from the older rules ${name} still enforces${applied ? ` (generation ${applied})` : ''}.` : '';
    out.push(`${capital(what)}: ${cause}.${decided}`);
  }
  return out;
}

/** Rules in sections changed after a generation (sections carry the generation of their last change). */
function newerRules(config: FwConfig | null | undefined, generation: number): { id: number; name: string }[] {
  if (!config) return [];
  return allSections(config)
    .filter((s) => s.generationNumber > generation)
    .flatMap((s) => s.rules.map((r) => ({ id: r.id, name: r.name })));
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
