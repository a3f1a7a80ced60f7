/** Control-plane test helpers: rules through the REST API, publish status, enforcement detection. */
import type { LabApi, ProbeResult } from '../../workers/lab/lab-api';

const SECTIONS = '/api/4.0/firewall/globalroot-0/config/layer3sections';

/** Creates a section (once per lab) and puts a rule at its top; REST writes publish at once. Returns the rule id. */
export async function addRule(api: LabApi, rule: { name: string; action: 'allow' | 'deny'; from?: string; to?: string; port?: number; appliedTo?: string }): Promise<number> {
  let section = sectionIds.get(api);
  if (section === undefined) {
    const created = await api.rest({ method: 'POST', path: SECTIONS, headers: { 'Content-Type': 'application/xml' }, body: '<section name="Control plane tests"/>' });
    if (created.status >= 300) throw new Error(`section: ${created.status} ${created.body}`);
    section = Number(/<section[^>]* id="(\d+)"/.exec(created.body)![1]);
    sectionIds.set(api, section);
  }
  const now = await api.rest({ method: 'GET', path: `${SECTIONS}/${section}` });
  const side = (tag: string, vm?: string) => (vm ? `<${tag}s excluded="false"><${tag}><value>${vm}</value><type>VirtualMachine</type></${tag}></${tag}s>` : '');
  const body =
    `<rule disabled="false" logged="false"><name>${rule.name}</name><action>${rule.action}</action>` +
    (rule.appliedTo ? `<appliedToList><appliedTo><value>${rule.appliedTo}</value><type>VirtualMachine</type></appliedTo></appliedToList>` : '') +
    side('source', rule.from) +
    side('destination', rule.to) +
    (rule.port ? `<services><service><protocol>6</protocol><destinationPort>${rule.port}</destinationPort></service></services>` : '') +
    '<direction>inout</direction><packetType>any</packetType></rule>';
  const res = await api.rest({ method: 'POST', path: `${SECTIONS}/${section}/rules`, headers: { 'Content-Type': 'application/xml', 'If-Match': now.headers.etag ?? now.headers.ETag ?? '' }, body });
  if (res.status >= 300) throw new Error(`rule: ${res.status} ${res.body}`);
  return Number(/<rule[^>]* id="(\d+)"/.exec(res.body)![1]);
}

const sectionIds = new WeakMap<LabApi, number>();

/** Per-host publish status from GET /api/4.0/firewall/globalroot-0/status. */
export async function hostStatus(api: LabApi): Promise<Record<string, string>> {
  const r = await api.rest({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/status' });
  const out: Record<string, string> = {};
  for (const m of r.body.matchAll(/<hostStatus><hostId>([^<]+)<\/hostId>.*?<status>([^<]+)<\/status>/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Whether the lab's hosts run a firewall kernel (slot 2 shows up on a probe's path). */
export function enforces(probe: ProbeResult): boolean {
  return probe.trace.some((t) => t.slot === 2);
}
