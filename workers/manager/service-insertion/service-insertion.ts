/**
 * NSX Manager's service insertion: registering a partner service, deploying it on clusters
 * (an SVM per host, told to each host), its profile's signatures and failure policy, and the
 * redirect sections. Every change that hosts enforce publishes, as a firewall change does: the
 * redirect lines travel in the same rule set, under each vNIC's slot 4 filter name.
 */
import type { PartnerSignature, PartnerSvm, ServiceFailurePolicy } from '../../protocol/partner';
import type { ManagerCore } from '../core';
import { hostAddress } from '../../protocol/messages/host';
import { ApiError, notFound } from '../errors';
import { redirectGeneration } from '../config/redirect-sections';
import { withPolicyRedirectSections } from './policy-redirect';
import { initialServiceInsertion, svmName, type PartnerService, type RedirectRule, type RedirectSection, type ServiceInsertionState } from './model';

interface RegisterInput {
  name: string;
  vendor?: string;
  category?: string;
  failurePolicy?: ServiceFailurePolicy;
  signatures?: PartnerSignature[];
}

const MAX_SERVICES = 16;
/** NSX's module name on service-insertion errors. */
const SI_MODULE = 'service-insertion';
const MAX_SIGNATURES = 100;

export class ServiceInsertion {
  constructor(private readonly core: ManagerCore) {}

  /** The state to read: the saved one, or the empty default section of a lab that never used it. */
  view(): ServiceInsertionState {
    return this.core.state.serviceInsertion ?? initialServiceInsertion(redirectGeneration(this.core.state.config));
  }

  private edit(): ServiceInsertionState {
    return (this.core.state.serviceInsertion ??= initialServiceInsertion(redirectGeneration(this.core.state.config)));
  }

  service(id: string): PartnerService {
    const s = this.view().services.find((x) => x.objectId === id);
    if (!s) throw notFound(`Service ${id}`);
    return s;
  }

  serviceByProfile(profileId: string): PartnerService | undefined {
    return this.view().services.find((x) => x.profileId === profileId);
  }

  register(input: RegisterInput): PartnerService {
    const st = this.edit();
    if (!input.name.trim()) throw new ApiError('badRequest', 'A partner service needs a name');
    if (st.services.some((s) => s.name === input.name)) throw new ApiError('duplicate', `A service named "${input.name}" is already registered`);
    if (st.services.length >= MAX_SERVICES) throw new ApiError('badRequest', `At most ${MAX_SERVICES} partner services can be registered in the lab`);
    const n = st.nextService++;
    const service: PartnerService = {
      objectId: `service-${n}`,
      name: input.name,
      vendor: input.vendor ?? input.name,
      category: input.category ?? 'IDS_IPS',
      failurePolicy: input.failurePolicy ?? 'failClosed',
      profileId: `serviceprofile-${n}`,
      instanceId: `serviceinstance-${n}`,
      signatures: checkSignatures(input.signatures ?? []),
    };
    st.services.push(service);
    this.core.audit('registered partner service', service.objectId, null, service);
    this.core.system(`Partner service ${service.name} (${service.objectId}) registered by ${service.vendor}`);
    return service;
  }

  /** The partner's settings changed (its own rules, the failure policy): every SVM of the service gets them. */
  configure(id: string, change: { failurePolicy?: ServiceFailurePolicy; signatures?: PartnerSignature[] }): PartnerService {
    this.edit();
    const s = this.service(id);
    const before = structuredClone(s);
    if (change.failurePolicy) s.failurePolicy = change.failurePolicy;
    if (change.signatures) s.signatures = checkSignatures(change.signatures);
    this.core.audit('updated service profile', s.profileId, before, s);
    this.sendToHosts(s);
    return s;
  }

  /**
   * Deploys a service on clusters, all or nothing. The lab runs one partner service per cluster:
   * a second deployment there (of the same service or another) is refused before anything
   * changes, naming the service already deployed. The message is the lab's own wording of
   * NSX-V's refusal (its text is not in our sources); the error module is service insertion's.
   */
  deploy(serviceId: string, clusters: string[]): void {
    this.checkDeploy(serviceId, clusters);
    const st = this.edit();
    const s = this.service(serviceId);
    const inv = this.core.state.inventory;
    for (const cluster of clusters) {
      st.deployments.push({ serviceId, cluster });
      this.core.system(`Service ${s.name} deployed on cluster ${inv.clusters.find((c) => c.moid === cluster)?.name ?? cluster}: one service VM per host`);
    }
    this.sendToHosts(s);
    this.core.republish(`service ${s.name} deployed`);
  }

  /** Throws NSX's refusal when the service cannot be deployed on every one of the clusters. */
  checkDeploy(serviceId: string, clusters: string[]): void {
    const st = this.view();
    const s = this.service(serviceId);
    const inv = this.core.state.inventory;
    const seen = new Set<string>();
    for (const cluster of clusters) {
      const c = inv.clusters.find((x) => x.moid === cluster);
      if (!c) throw new ApiError('badRequest', `Cluster ${cluster} does not exist`, SI_MODULE);
      const other = st.deployments.find((d) => d.cluster === cluster);
      if (other || seen.has(cluster)) {
        const name = other ? this.service(other.serviceId).name : s.name;
        throw new ApiError('duplicate', `Service deployment failed on cluster ${c.name} (${cluster}): ${name} is already deployed there, and a cluster runs one partner service.`, SI_MODULE);
      }
      seen.add(cluster);
    }
  }

  /** What each host of the service's clusters runs. */
  svmFor(s: PartnerService, hostId: string): PartnerSvm | null {
    const inv = this.core.state.inventory;
    const host = inv.hosts.find((h) => h.moid === hostId);
    if (!host || !this.view().deployments.some((d) => d.serviceId === s.objectId && d.cluster === host.cluster)) return null;
    const index = inv.hosts.filter((h) => h.cluster === host.cluster).indexOf(host);
    return { serviceId: s.objectId, serviceName: s.name, instanceId: s.instanceId, svmName: svmName(s, index), poweredOn: true, failurePolicy: s.failurePolicy, signatures: structuredClone(s.signatures) };
  }

  /** The service a host runs, if any. */
  serviceOnHost(hostId: string): PartnerService | undefined {
    const host = this.core.state.inventory.hosts.find((h) => h.moid === hostId);
    const d = host && this.view().deployments.find((x) => x.cluster === host.cluster);
    return d ? this.view().services.find((s) => s.objectId === d.serviceId) : undefined;
  }

  private sendToHosts(s: PartnerService): void {
    const clusters = new Set(this.view().deployments.filter((d) => d.serviceId === s.objectId).map((d) => d.cluster));
    for (const h of this.core.state.inventory.hosts) if (clusters.has(h.cluster)) this.core.outbox.push({ to: hostAddress(h.moid), kind: 'svm-deploy', body: { svm: this.svmFor(s, h.moid) } });
  }

  // ---- redirect sections ---------------------------------------------------------------

  /** Every redirect section: Service Composer's generated ones on top, then the user's. */
  sections(): RedirectSection[] {
    return withPolicyRedirectSections(this.view().sections, this.core.state.securityPolicies, this.core.state.config.generationNumber);
  }

  section(id: number): RedirectSection {
    const s = this.sections().find((x) => x.id === id);
    if (!s) throw notFound(`Firewall section ${id}`);
    return s;
  }

  /** A section the API may change: not one Service Composer generates from a security policy. */
  ownSection(id: number): RedirectSection {
    const s = this.section(id);
    if (s.managedBy) throw new ApiError('managedSection', `Section ${id} is managed by ${s.managedBy}: change its security policy instead`);
    return s;
  }

  /** Applies a change to the redirect sections, publishes, and stamps the touched sections with the new generation. */
  change<T>(touched: number[], reason: string, fn: (st: ServiceInsertionState) => T): T {
    const st = this.edit();
    const out = fn(st);
    const { generation } = this.core.republish(reason);
    for (const s of st.sections) if (touched.includes(s.id)) Object.assign(s, { generationNumber: generation, timestamp: generation });
    return out;
  }

  /** A redirect rule's profile must name a registered service; without one, the first service's. */
  resolveProfile(rule: RedirectRule): RedirectRule {
    const services = this.view().services;
    if (!services.length) throw new ApiError('badRequest', 'Redirect rules need a registered partner service: register one first (POST /api/2.0/si/service)');
    if (!rule.siProfile) return { ...rule, siProfile: services[0]!.profileId };
    if (!this.serviceByProfile(rule.siProfile)) throw new ApiError('badRequest', `Service profile ${rule.siProfile} does not exist`);
    return rule;
  }

  /** The user's redirect sections replaced whole (a restored configuration); the next publish stamps them. */
  replaceSections(sections: RedirectSection[]): void {
    const st = this.edit();
    st.sections = sections;
  }

  /** Stamps every user redirect section with a publish's generation (after a whole-configuration replace). */
  stampAll(generation: number): void {
    for (const s of this.edit().sections) Object.assign(s, { generationNumber: generation, timestamp: generation });
  }

  nextRuleId(): number {
    return this.core.ids().nextRule();
  }

  nextSectionId(): number {
    return this.core.ids().nextSection();
  }
}

function checkSignatures(list: PartnerSignature[]): PartnerSignature[] {
  if (list.length > MAX_SIGNATURES) throw new ApiError('badRequest', `At most ${MAX_SIGNATURES} signatures per service profile`);
  return list.map((s, i) => {
    if (!s.pattern) throw new ApiError('badRequest', `Signature ${i + 1} has an empty pattern`);
    if (s.pattern.length > 200) throw new ApiError('badRequest', `Signature ${i + 1}: a pattern has at most 200 characters`);
    return { id: i + 1, name: s.name || `${s.action === 'alert' ? 'Alert on' : 'Block'} ${s.pattern}`, pattern: s.pattern, action: s.action === 'alert' ? 'alert' : 'block' };
  });
}
