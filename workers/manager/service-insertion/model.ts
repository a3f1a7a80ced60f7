/**
 * Service insertion on NSX Manager (seed 000, "Partner Security Service"): partner services
 * registered with NSX, deployed per cluster (one service VM per host), their service profiles
 * (the partner's own settings, opaque to NSX: here its signatures) and the L3 redirect sections
 * whose rules say which traffic goes to the partner. Kept beside the firewall configuration,
 * absent in labs saved before it existed.
 */
import type { PartnerSignature, ServiceFailurePolicy } from '../../protocol/partner';
import type { FirewallRule } from '../types';

/** NSX-V's one default redirect section, `Default Section`, id 1002 by the OSV anchors in nsx-reference §1.5: always last, never deleted. */
export const DEFAULT_REDIRECT_SECTION_ID = 1002;
export const DEFAULT_REDIRECT_SECTION_NAME = 'Default Section';

export type RedirectAction = 'redirect' | 'do_not_redirect';

export interface PartnerService {
  /** `service-1`, as NSX numbers registered services. */
  objectId: string;
  name: string;
  vendor: string;
  /** NSX's service category, e.g. `IDS_IPS`, `NG_FW`. */
  category: string;
  /** What slot 4 does while the service VM cannot answer: a per-service setting. */
  failurePolicy: ServiceFailurePolicy;
  /** Its one service profile (`serviceprofile-1`): what a redirect rule names. */
  profileId: string;
  /** Its dvfilter agent on hosts, `serviceinstance-1`. */
  instanceId: string;
  /** The partner's own rule base, pushed to its service VMs as profile attributes. */
  signatures: PartnerSignature[];
}

interface ServiceDeployment {
  serviceId: string;
  cluster: string;
}

export interface RedirectRule extends Omit<FirewallRule, 'action'> {
  action: RedirectAction;
  /** The service profile the rule redirects to (`serviceprofile-1`). */
  siProfile: string;
}

export interface RedirectSection {
  id: number;
  name: string;
  generationNumber: number;
  timestamp: number;
  isDefault?: boolean;
  /** `ServiceComposer` for a section generated from a security policy's network introspection actions. */
  managedBy?: string;
  rules: RedirectRule[];
}

export interface ServiceInsertionState {
  services: PartnerService[];
  deployments: ServiceDeployment[];
  sections: RedirectSection[];
  nextService: number;
}

/** The default redirect section, empty, stamped with `generation`. */
export function defaultRedirectSection(generation: number): RedirectSection {
  return { id: DEFAULT_REDIRECT_SECTION_ID, name: DEFAULT_REDIRECT_SECTION_NAME, generationNumber: generation, timestamp: generation, isDefault: true, rules: [] };
}

export function initialServiceInsertion(generation: number): ServiceInsertionState {
  return {
    services: [],
    deployments: [],
    sections: [defaultRedirectSection(generation)],
    nextService: 1,
  };
}

/** The SVM name on each host: the service's name and the host's number in its cluster, as EAM names agent VMs. */
export function svmName(service: PartnerService, index: number): string {
  return `${service.name} (${index + 1})`;
}
