/**
 * Bench: publish 10k rules referencing 500 grouping objects for the classroom lab plus 60
 * extra hosts, i.e. compute every host's vNIC filters and address sets. Target < 200 ms in Node.
 */
import preset from '../../workers/lab/presets/classroom.json';
import type { SimContext } from '../../workers/lab/context';
import { NsxManager } from '../../workers/manager/manager';
import type { FirewallRule, FirewallSection, ObjectRef } from '../../workers/manager/types';
import type { Inventory } from '../../workers/protocol/inventory';
import { CLASSROOM, inventoryOf } from '../../workers/lab/presets/build-lab';

const EXTRA_HOSTS = 60;
const VMS_PER_EXTRA_HOST = 4;
const GROUPING_OBJECTS = 500;
const RULES = 10_000;
const RULES_PER_SECTION = 100;

function classroomInventory(): Inventory {
  // The same inventory a classroom lab boots with.
  return inventoryOf(CLASSROOM);
}

/** Classroom + 60 hosts in 6 new clusters, each host running a few web/app/db VMs. */
function bigInventory(): Inventory {
  const inv = classroomInventory();
  const tiers = [
    ['web', 'virtualwire-1', '172.16.10'],
    ['app', 'virtualwire-2', '172.16.20'],
    ['db', 'virtualwire-3', '172.16.30'],
  ] as const;
  for (let c = 0; c < 6; c++) inv.clusters.push({ moid: `domain-c${100 + c}`, name: `Scale Cluster ${c + 1}` });
  let vmNo = 1000;
  for (let h = 0; h < EXTRA_HOSTS; h++) {
    const hostId = `host-${500 + h}`;
    inv.hosts.push({ moid: hostId, name: `esxscale-${h}`, cluster: `domain-c${100 + (h % 6)}`, vtepIp: `10.10.1.${h + 1}`, mgmtIp: `192.168.111.${h + 1}` });
    for (let v = 0; v < VMS_PER_EXTRA_HOST; v++, vmNo++) {
      const [tier, network, net] = tiers[vmNo % 3]!;
      inv.vms.push({
        moid: `vm-${vmNo}`,
        name: `${tier}-scale-${vmNo}`,
        uuid: `5013ffff-${String(vmNo).padStart(4, '0')}-4c6e-9a11-00000000${String(vmNo).padStart(4, '0')}`,
        host: hostId,
        worldId: 40000 + vmNo,
        powerState: 'poweredOn',
        guestOs: 'Ubuntu Linux (64-bit)',
        computerName: `${tier}-scale-${vmNo}.corp.local`,
        role: 'workload',
        toolsRunning: vmNo % 17 !== 0,
        guestIps: vmNo % 17 !== 0 ? [`${net}.${(vmNo % 250) + 2}`] : [],
        vnics: [{ index: 0, mac: `00:50:56:b0:${((vmNo >> 8) & 0xff).toString(16).padStart(2, '0')}:${(vmNo & 0xff).toString(16).padStart(2, '0')}`, network }],
      });
    }
  }
  return inv;
}

const clock = (t: number): SimContext => ({ now: () => t, random: () => 0.5, emit: () => {} });

export async function benchManagerPublish(print: (line: string) => void): Promise<void> {
  const inventory = bigInventory();
  const state = NsxManager.initialState(preset, inventory);

  // 500 grouping objects: 300 security groups (name criteria, tags, nesting, static members), 200 IP sets.
  const refs: ObjectRef[] = [];
  for (let i = 0; i < 300; i++) {
    const objectId = `securitygroup-${100 + i}`;
    const kind = i % 4;
    state.securityGroups.push({
      objectId,
      name: `SG ${i}`,
      description: '',
      members: kind === 2 ? [`vm-${1000 + ((i * 7) % (EXTRA_HOSTS * VMS_PER_EXTRA_HOST))}`, `domain-c${100 + (i % 6)}`] : kind === 3 && i > 10 ? [`securitygroup-${100 + i - 5}`] : [],
      excludeMembers: kind === 2 ? ['vm-36'] : [],
      dynamicSets:
        kind === 0
          ? [{ operator: 'OR', criteria: [{ operator: 'OR', key: 'VM.NAME', criteria: 'contains', value: `-${i % 10}` }] }]
          : kind === 1
            ? [{ operator: 'OR', criteria: [{ operator: 'OR', key: 'VM.SECURITY_TAG', criteria: '=', value: ['web', 'app', 'db'][i % 3]! }, { operator: 'AND', key: 'VM.GUEST_OS_FULL_NAME', criteria: 'starts_with', value: 'Ubuntu' }] }]
            : [],
    });
    refs.push({ value: objectId, type: 'SecurityGroup' });
  }
  for (let i = 0; i < 200; i++) {
    const objectId = `ipset-${i + 1}`;
    state.ipSets.push({ objectId, name: `IPs ${i}`, description: '', values: [`10.${i % 256}.0.0/16`, `192.0.2.${i % 250}`, `198.51.100.${i % 200}-198.51.100.${(i % 200) + 20}`] });
    refs.push({ value: objectId, type: 'IPSet' });
  }

  const services = ['application-1', 'application-2', 'application-3', 'application-4', 'application-7', 'application-9', 'application-13'];
  const sections: FirewallSection[] = [];
  let ruleId = 5000;
  for (let s = 0; s < RULES / RULES_PER_SECTION; s++) {
    const rules: FirewallRule[] = [];
    for (let r = 0; r < RULES_PER_SECTION; r++, ruleId++) {
      const pick = (k: number) => refs[(ruleId * 31 + k * 17) % refs.length]!;
      const scoped = ruleId % 10 === 0;
      rules.push({
        id: ruleId,
        name: `rule ${ruleId}`,
        disabled: false,
        logged: ruleId % 50 === 0,
        action: ruleId % 7 === 0 ? 'deny' : 'allow',
        appliedTo: scoped ? [ruleId % 20 === 0 ? { value: `domain-c${100 + (ruleId % 6)}`, type: 'ClusterComputeResource' } : pick(3)] : [],
        sources: ruleId % 3 === 0 ? null : { excluded: false, members: [pick(1), ...(ruleId % 5 === 0 ? [{ value: '203.0.113.0/24', type: 'Ipv4Address' }] : [])] },
        destinations: { excluded: ruleId % 97 === 0, members: [pick(2)] },
        services: [{ kind: 'ref', value: services[ruleId % services.length]!, type: 'Application' }, ...(ruleId % 4 === 0 ? [{ kind: 'raw' as const, protocol: 6, destinationPort: '8000-8080' }] : [])],
        direction: 'inout',
        packetType: 'any',
      });
    }
    sections.push({ id: 2000 + s, name: `Section ${s}`, type: 'LAYER3', generationNumber: 0, timestamp: 0, tcpStrict: false, stateless: false, useSid: false, rules });
  }
  state.config.layer3Sections = [...sections, ...state.config.layer3Sections];
  state.ids.rule = ruleId;
  state.ids.section = 3000;

  const manager = new NsxManager(state, clock(Date.UTC(2024, 4, 1)));
  const vnics = inventory.vms.length;
  print(`manager publish: ${inventory.hosts.length} hosts, ${vnics} vNICs, ${GROUPING_OBJECTS} grouping objects, ${RULES} rules`);

  manager.publish(); // warm-up (JIT)
  const runs: number[] = [];
  const translateRuns: number[] = [];
  let lines = 0;
  let sets = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const { hosts } = manager.publish();
    runs.push(performance.now() - t0);
    const t1 = performance.now();
    manager.hostRuleSets();
    translateRuns.push(performance.now() - t1);
    lines = hosts.reduce((n, h) => n + Object.values(h.filters).reduce((m, f) => m + f.l3.length + f.l2.length, 0), 0);
    sets = hosts.reduce((n, h) => n + Object.keys(h.addressSets).length, 0);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  print(`  kernel lines over all vNIC filters: ${lines}, address sets over all hosts: ${sets}`);
  print(`  publish (new generation, auto-save, per-host rule sets and address sets): median ${median(runs).toFixed(1)} ms (target < 200 ms)`);
  print(`  per-host rule sets and address sets only: median ${median(translateRuns).toFixed(1)} ms`);
}
