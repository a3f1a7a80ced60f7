/**
 * The default firewall configuration, with the ids of classroom-lab.md: it is what a prepared
 * host starts with and what DELETE /config restores.
 */
import { SERVICE_ID } from '../grouping/services';
import type { FirewallConfig, FirewallRule, FirewallSection, ObjectRef } from '../types';

export const DEFAULT_L3_SECTION_ID = 1003;
export const DEFAULT_L2_SECTION_ID = 1001;
const DEFAULT_L3_SECTION_NAME = 'Default Section Layer3';
const DEFAULT_L2_SECTION_NAME = 'Default Section Layer2';
const DEFAULT_RULE_NAME = 'Default Rule';
/** First id handed out for new sections and new rules. */
export const FIRST_USER_ID = 1005;

const app = (value: string): { kind: 'ref'; value: string; type: string } => ({ kind: 'ref', value, type: 'Application' });

function defaultRule(id: number, name: string, services: FirewallRule['services'], isDefault: boolean): FirewallRule {
  return {
    id,
    name,
    disabled: false,
    logged: false,
    action: 'allow',
    appliedTo: [],
    sources: null,
    destinations: null,
    services,
    direction: 'inout',
    packetType: 'any',
    ...(isDefault ? { isDefault: true } : {}),
  };
}

function defaultL3Section(generation: number): FirewallSection {
  return {
    id: DEFAULT_L3_SECTION_ID,
    name: DEFAULT_L3_SECTION_NAME,
    type: 'LAYER3',
    generationNumber: generation,
    timestamp: generation,
    tcpStrict: false,
    stateless: false,
    useSid: false,
    isDefault: true,
    rules: [
      // The NDP and DHCP rules keep IPv6 neighbour discovery and address leases working even
      // when the default rule is turned to block (the lock-out lesson).
      defaultRule(1003, 'Default Rule NDP', [app(SERVICE_ID.ndpSolicitation), app(SERVICE_ID.ndpAdvertisement)], false),
      defaultRule(1002, 'Default Rule DHCP', [app(SERVICE_ID.dhcpServer), app(SERVICE_ID.dhcpClient)], false),
      defaultRule(1001, DEFAULT_RULE_NAME, [], true),
    ],
  };
}

function defaultL2Section(generation: number): FirewallSection {
  return {
    id: DEFAULT_L2_SECTION_ID,
    name: DEFAULT_L2_SECTION_NAME,
    type: 'LAYER2',
    generationNumber: generation,
    timestamp: generation,
    tcpStrict: false,
    stateless: true,
    useSid: false,
    isDefault: true,
    rules: [defaultRule(1004, DEFAULT_RULE_NAME, [], true)],
  };
}

export function defaultConfig(generation: number): FirewallConfig {
  return {
    contextId: 'globalroot-0',
    generationNumber: generation,
    timestamp: generation,
    layer3Sections: [defaultL3Section(generation)],
    layer2Sections: [defaultL2Section(generation)],
  };
}

export const DISTRIBUTED_FIREWALL: ObjectRef = Object.freeze({ name: 'DISTRIBUTED_FIREWALL', value: 'DISTRIBUTED_FIREWALL', type: 'DISTRIBUTED_FIREWALL' });

/** Session timer defaults (seconds), NSX-V 6.3+ `Default Session Timers`. */
export const DEFAULT_TIMEOUT_VALUES: Readonly<Record<string, number>> = Object.freeze({
  tcpFirstPacket: 120,
  tcpOpen: 30,
  tcpEstablished: 43200,
  tcpClosing: 120,
  tcpFinWait: 45,
  tcpClosed: 20,
  udpFirstPacket: 60,
  udpSingle: 30,
  udpMultiple: 60,
  icmpFirstPacket: 20,
  icmpErrorReply: 10,
});

/** Tags NSX ships with (systemResource=true), before any user tag. */
export const SYSTEM_TAG_NAMES: readonly string[] = Object.freeze([
  'AntiVirus.virusFound',
  'ANTI_VIRUS.VirusFound.threat=high',
  'ANTI_VIRUS.VirusFound.threat=medium',
  'ANTI_VIRUS.VirusFound.threat=low',
  'DATA_SECURITY.violationsFound',
  'IDS_IPS.threat=high',
  'IDS_IPS.threat=medium',
  'IDS_IPS.threat=low',
  'VULNERABILITY_MGMT.VulnerabilityFound.threat=high',
  'VULNERABILITY_MGMT.VulnerabilityFound.threat=medium',
  'VULNERABILITY_MGMT.VulnerabilityFound.threat=low',
]);
