/**
 * The control-plane bench's lab: the classroom grown to 64 hosts (one web VM each) with 10k
 * firewall rules in 100 sections before the default one. The worker_threads figure boots it in
 * Node; the Chromium figure imports it into the built app (controlplane-chromium.ts).
 */
import { buildLab, CLASSROOM } from '../../workers/lab/presets/build-lab';
import type { LabDocument } from '../../workers/lab/lab-document';
import type { Preset, PresetVm } from '../../workers/lab/presets/preset';
import type { ManagerComponentState } from '../../workers/manager/manager-component';
import type { FirewallRule, FirewallSection } from '../../workers/manager/types';

// DFW_BENCH_HOSTS / DFW_BENCH_RULES change the lab for profiling (where a cost starts as hosts or rules grow); the figures are 64 and 10k.
export const HOSTS = Number(process.env.DFW_BENCH_HOSTS ?? 64);
export const RULES = Number(process.env.DFW_BENCH_RULES ?? 10_000);
const RULES_PER_SECTION = 100;

/** The classroom plus enough hosts (one web VM each) for 64 in all. */
function bigPreset(): Preset {
  const p: Preset = structuredClone(CLASSROOM);
  p.clusters.push({ moid: 'domain-c100', name: 'Scale Cluster' });
  for (let h = 0; p.hosts.length < HOSTS; h++) {
    const moid = `host-${500 + h}`;
    p.hosts.push({ moid, name: `esxscale-${h}`, cluster: 'domain-c100', vtepIp: `10.10.1.${h + 1}`, mgmtIp: `192.168.111.${h + 1}` });
    const n = 1000 + h;
    const vm: PresetVm = {
      moid: `vm-${n}`, name: `web-scale-${n}`, host: moid, role: 'workload', worldId: 40000 + n, uuid: `5013ffff-${n}-4c6e-9a11-00000000${n}`,
      guestOs: 'Ubuntu Linux (64-bit)', computerName: `web-scale-${n}.corp.local`, listens: ['tcp/80'],
      nic: { mac: `00:50:56:b0:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`, network: 'virtualwire-1', ip: `172.16.10.${100 + h}` },
    };
    p.vms.push(vm);
  }
  return p;
}

function tenThousandRules(): FirewallSection[] {
  const sections: FirewallSection[] = [];
  let id = 5000;
  for (let s = 0; s < RULES / RULES_PER_SECTION; s++) {
    const rules: FirewallRule[] = [];
    for (let r = 0; r < RULES_PER_SECTION; r++, id++) {
      rules.push({
        id, name: `rule ${id}`, disabled: false, logged: false, action: id % 7 === 0 ? 'deny' : 'allow', appliedTo: [],
        sources: { excluded: false, members: [{ value: `10.${id % 250}.${(id >> 8) % 250}.0/24`, type: 'Ipv4Address' }] },
        destinations: { excluded: false, members: [{ value: `192.0.2.${id % 250}`, type: 'Ipv4Address' }] },
        services: [{ kind: 'raw', protocol: 6, destinationPort: String(1024 + (id % 60000)) }],
        direction: 'inout', packetType: 'any',
      });
    }
    sections.push({ id: 2000 + s, name: `Scale ${s}`, type: 'LAYER3', generationNumber: 0, timestamp: 0, tcpStrict: false, stateless: false, useSid: false, rules });
  }
  return sections;
}

/** The lab document both publish figures boot: `name` is the lab's name (the Labs screen shows it). */
export function controlPlaneLab(name = 'control-plane bench'): LabDocument {
  const doc = buildLab(bigPreset(), 1, name);
  const mgr = (doc.components.manager!.state as ManagerComponentState).manager;
  mgr.config.layer3Sections = [...tenThousandRules(), ...mgr.config.layer3Sections];
  mgr.ids.rule = 5000 + RULES;
  mgr.ids.section = 3000;
  return doc;
}
