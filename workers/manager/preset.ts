/**
 * The parts of a lab preset (workers/lab/presets/*.json) the manager reads, and the manager's
 * initial state built from them: default firewall configuration, system and preset security
 * tags, preset security groups (tag based), the system exclusion list and SpoofGuard off.
 */
import type { Inventory } from '../protocol/inventory';
import { DEFAULT_TIMEOUT_VALUES, FIRST_USER_ID, SYSTEM_TAG_NAMES, defaultConfig } from './config/defaults';
import type { ManagerState, SecurityGroup, SecurityTag, SpoofGuardPolicy } from './types';

export interface ClassroomPreset {
  name: string;
  securityTags?: { name: string; vms: string[] }[];
  securityGroups?: { name: string; tag?: string; description?: string }[];
}

/** Security groups are numbered from 10 up (hosts show `ip-securitygroup-10`). */
const FIRST_SECURITY_GROUP = 10;

const DEFAULT_SPOOFGUARD_POLICY: SpoofGuardPolicy = Object.freeze({
  policyId: 'spoofguardpolicy-1',
  name: 'Default Policy',
  description: 'Covers every network not in another SpoofGuard policy',
  operationMode: 'DISABLE',
  enforcementPoints: [],
  allowLocalIPs: false,
  defaultPolicy: true,
}) as SpoofGuardPolicy;

export function buildInitialState(preset: ClassroomPreset, inventory: Inventory): ManagerState {
  const byName = new Map(inventory.vms.map((v) => [v.name, v.moid] as const));
  const tags: SecurityTag[] = SYSTEM_TAG_NAMES.map((name, i) => ({
    objectId: `securitytag-${i + 1}`,
    name,
    description: 'System tag',
    systemResource: true,
    vms: [],
  }));
  for (const t of preset.securityTags ?? []) {
    tags.push({
      objectId: `securitytag-${tags.length + 1}`,
      name: t.name,
      description: '',
      systemResource: false,
      vms: t.vms.map((n) => byName.get(n) ?? n).filter((id) => id.startsWith('vm-')),
    });
  }
  const groups: SecurityGroup[] = (preset.securityGroups ?? []).map((g, i) => ({
    objectId: `securitygroup-${FIRST_SECURITY_GROUP + i}`,
    name: g.name,
    description: g.description ?? '',
    members: [],
    excludeMembers: [],
    dynamicSets: g.tag ? [{ operator: 'OR', criteria: [{ operator: 'OR', key: 'VM.SECURITY_TAG', criteria: '=', value: g.tag }] }] : [],
  }));
  return {
    format: 'dfw-lab/manager@1',
    inventory: structuredClone(inventory),
    // Generation 0 until the manager is constructed with a clock (it stamps the defaults then).
    config: defaultConfig(0),
    lastGeneration: 0,
    objectsGeneration: 0,
    ids: {
      section: FIRST_USER_ID,
      rule: FIRST_USER_ID,
      draft: 1,
      securityTag: tags.length + 1,
      securityGroup: FIRST_SECURITY_GROUP + groups.length,
      ipSet: 1,
      macSet: 1,
      application: 100,
      applicationGroup: 1,
      policy: 1,
      spoofGuardPolicy: 2,
      timeouts: 1002,
    },
    drafts: [],
    globalConfiguration: { layer3RuleOptimize: false, layer2RuleOptimize: true, tcpStrictOption: false, autoDraftDisabled: false },
    eventThresholds: { cpuPercent: 100, memoryPercent: 100, connectionsPerSecond: 100000 },
    timeouts: [
      {
        id: 1001,
        name: 'Default Session Timers',
        description: 'Default session timers for the distributed firewall',
        isDefault: true,
        appliedTo: [{ value: 'DISTRIBUTED_FIREWALL', type: 'DISTRIBUTED_FIREWALL', name: 'DISTRIBUTED_FIREWALL' }],
        generationNumber: 0,
        values: { ...DEFAULT_TIMEOUT_VALUES },
      },
    ],
    securityTags: tags,
    securityGroups: groups,
    ipSets: [],
    macSets: [],
    services: [],
    serviceGroups: [],
    securityPolicies: [],
    exclusionSystem: inventory.vms.filter((v) => v.role === 'nsx-manager').map((v) => v.moid),
    exclusionUser: [],
    spoofGuardPolicies: [structuredClone(DEFAULT_SPOOFGUARD_POLICY)],
    spoofGuardBindings: [],
    hostStatus: {},
    flows: [],
  };
}
