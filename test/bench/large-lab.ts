/** The storage bench's lab: the classroom preset grown to 500 VMs, with 10k firewall rules in 100 sections. */
import { CLASSROOM, buildLab } from '../../workers/lab/presets/build-lab';
import type { Preset } from '../../workers/lab/presets/preset';
import type { LabDocument } from '../../workers/lab/lab-document';
import type { ManagerComponentState } from '../../workers/manager/manager-component';
import type { FirewallRule, FirewallSection } from '../../workers/manager/types';

const RULES = 10_000;
const VMS = 500;
export const LARGE_LAB = { rules: RULES, vms: VMS };

/** The classroom preset grown to 500 VMs, plus an NSX Manager state holding 10k rules. */
export function largeLab(): LabDocument {
  const preset: Preset = structuredClone(CLASSROOM);
  const workloads = ['virtualwire-1', 'virtualwire-2', 'virtualwire-3'];
  const hosts = preset.hosts.filter((h) => h.cluster !== 'domain-c7').map((h) => h.moid);
  for (let i = preset.vms.length; i < VMS; i++) {
    const n = 1000 + i;
    const net = workloads[i % 3];
    const hex = n.toString(16).padStart(4, '0');
    preset.vms.push({
      ...preset.vms[3], moid: `vm-${n}`, name: `bench-vm-${n}`, host: hosts[i % hosts.length], worldId: 40_000 + i,
      uuid: `5013bcd8-${hex}-4c6e-9a11-00000000${hex}`, computerName: `bench-vm-${n}.corp.local`,
      nic: { mac: `00:50:56:a2:${hex.slice(0, 2)}:${hex.slice(2)}`, network: net, ip: `172.16.${10 * (1 + (i % 3))}.${20 + Math.floor(i / 3)}` },
    });
  }
  const doc = buildLab(preset, 1, 'Storage bench lab');
  const groups = ['securitygroup-10', 'securitygroup-11', 'securitygroup-12'];
  const rules: FirewallRule[] = Array.from({ length: RULES }, (_, i) => ({
    id: 5000 + i, name: `rule ${i}`, disabled: false, logged: i % 7 === 0, action: i % 5 === 0 ? 'deny' : 'allow', appliedTo: [],
    sources: { excluded: false, members: [{ value: groups[i % 3], type: 'SecurityGroup' }] },
    destinations: { excluded: false, members: [{ value: `172.16.${10 * (1 + (i % 3))}.${i % 250}`, type: 'Ipv4Address' }] },
    services: [{ kind: 'raw', protocol: 6, destinationPort: String(1024 + (i % 6000)) }], direction: 'inout', packetType: 'any',
  }));
  const sections: FirewallSection[] = Array.from({ length: 100 }, (_, s) => ({
    id: 2000 + s, name: `Section ${s}`, type: 'LAYER3', generationNumber: 0, timestamp: 0, tcpStrict: false, stateless: false, useSid: false,
    rules: rules.slice(s * 100, s * 100 + 100),
  }));
  // NSX Manager's own state, as a lab holding 10k rules has it: the sections before the default one.
  const manager = (doc.components.manager.state as ManagerComponentState).manager;
  manager.config.layer3Sections = [...sections, ...manager.config.layer3Sections];
  manager.ids.rule = 5000 + RULES;
  manager.ids.section = 3000;
  return doc;
}
