/**
 * Partner service registration and deployment in the NSX-V REST API. These paths are not in
 * ../shared/spec/nsx-reference.md; they follow the NSX-V 6.4 API guide's "Service Insertion"
 * chapter (vmware-archive/nsxraml):
 *
 * - `POST /api/2.0/si/service` registers a service (`<service><name>…<vendor>…<category>…`); the
 *   lab reads `<failurePolicy>failOpen|failClosed</failurePolicy>` (its own element: NSX-V sets it
 *   per service in the partner's registration, not shown by the guide) and answers 201 + Location.
 * - `GET /api/2.0/si/services`, `GET /api/2.0/si/service/{id}`.
 * - `GET /api/2.0/si/serviceprofiles`, `GET|PUT /api/2.0/si/serviceprofile/{id}`: the profile's
 *   attributes are the partner's own settings, opaque to NSX; the lab's partner reads
 *   `block-pattern` / `alert-pattern` attributes as its signatures and `failurePolicy`.
 * - `POST /api/2.0/si/deploy` with `<clusterDeploymentConfigs><clusterDeploymentConfig><clusterId>…
 *   <services><serviceDeploymentConfig><serviceId>…` deploys an SVM per host (202).
 * - `GET /api/2.0/si/deploy`, `GET /api/2.0/si/deploy/cluster/{clusterId}`: `<deployedServices>`.
 * - `GET /api/2.0/si/serviceinstances`: one instance per registered service.
 */
import type { PartnerSignature, ServiceFailurePolicy } from '../../protocol/partner';
import type { ManagerCore } from '../core';
import { badRequest, notFound } from '../errors';
import { bodyXml, xml } from '../rest/http';
import type { Router } from '../rest/router';
import { child, childrenOf, el, field, leaf, type XmlNode } from '../xml';
import type { PartnerService } from './model';
import { ServiceInsertion } from './service-insertion';

const SI = '/api/2.0/si';

function failurePolicyOf(text: string | undefined): ServiceFailurePolicy | undefined {
  if (text === undefined) return undefined;
  const t = text.toLowerCase().replace(/[_\s-]/g, '');
  if (t === 'failopen' || t === 'allow') return 'failOpen';
  if (t === 'failclosed' || t === 'block') return 'failClosed';
  throw badRequest(`Invalid failurePolicy "${text}"; expected failOpen or failClosed`);
}

function attributesOf(node: XmlNode | undefined): { key: string; value: string }[] {
  const holder = node && (child(node, 'serviceProfileAttributes') ?? child(node, 'attributes') ?? node);
  return childrenOf(holder, 'attribute').map((a) => ({ key: field(a, 'key') ?? '', value: field(a, 'value') ?? '' }));
}

function signaturesOf(attrs: { key: string; value: string }[]): PartnerSignature[] | undefined {
  const picked = attrs.filter((a) => a.key === 'block-pattern' || a.key === 'alert-pattern');
  if (!picked.length) return undefined;
  return picked.map((a, i) => ({ id: i + 1, name: '', pattern: a.value, action: a.key === 'alert-pattern' ? 'alert' : 'block' }));
}

export function serviceXml(s: PartnerService): XmlNode {
  return el(
    'service',
    {},
    leaf('objectId', s.objectId),
    leaf('name', s.name),
    leaf('vendor', s.vendor),
    leaf('category', s.category),
    leaf('failurePolicy', s.failurePolicy),
    el('implementations', {}, el('implementation', {}, leaf('type', 'HOST_BASED_VNIC'))),
    el('serviceProfiles', {}, el('serviceProfile', {}, leaf('objectId', s.profileId))),
  );
}

function profileXml(s: PartnerService): XmlNode {
  return el(
    'serviceProfile',
    {},
    leaf('objectId', s.profileId),
    leaf('name', `${s.name} profile`),
    el('service', {}, leaf('objectId', s.objectId), leaf('name', s.name)),
    el(
      'serviceProfileAttributes',
      {},
      el('attribute', {}, leaf('key', 'failurePolicy'), leaf('value', s.failurePolicy)),
      ...s.signatures.map((g) => el('attribute', {}, leaf('key', g.action === 'alert' ? 'alert-pattern' : 'block-pattern'), leaf('value', g.pattern))),
    ),
  );
}

export function registerServiceInsertionRoutes(router: Router, core: ManagerCore): void {
  const si = new ServiceInsertion(core);
  const clusterName = (id: string) => core.state.inventory.clusters.find((c) => c.moid === id)?.name ?? id;
  const deployedXml = (filter: (cluster: string) => boolean) =>
    el(
      'deployedServices',
      {},
      ...si
        .view()
        .deployments.filter((d) => filter(d.cluster))
        .map((d) => {
          const s = si.service(d.serviceId);
          return el('deployedService', {}, leaf('serviceId', s.objectId), leaf('serviceName', s.name), leaf('clusterId', d.cluster), leaf('clusterName', clusterName(d.cluster)), leaf('progressStatus', 'SUCCEEDED'), leaf('serviceStatus', 'GREEN'));
        }),
    );

  router.on(`${SI}/services`, { GET: () => xml(200, el('services', {}, ...si.view().services.map(serviceXml))) });
  router.on(`${SI}/service`, {
    POST: ({ req }) => {
      const b = bodyXml(req);
      if (b.tag !== 'service') throw badRequest(`Expected <service>, got <${b.tag}>`);
      const s = si.register({
        name: field(b, 'name') ?? '',
        vendor: field(b, 'vendor') ?? field(child(b, 'vendorId') ?? b, 'vendorId'),
        category: field(b, 'category'),
        failurePolicy: failurePolicyOf(field(b, 'failurePolicy')),
        signatures: signaturesOf(attributesOf(b)),
      });
      return xml(201, serviceXml(s), { Location: `${SI}/service/${s.objectId}` });
    },
  });
  router.on(`${SI}/service/:id`, { GET: ({ params }) => xml(200, serviceXml(si.service(params.id!))) });

  router.on(`${SI}/serviceprofiles`, { GET: () => xml(200, el('serviceProfiles', {}, ...si.view().services.map(profileXml))) });
  router.on(`${SI}/serviceprofile/:id`, {
    GET: ({ params }) => {
      const s = si.serviceByProfile(params.id!);
      if (!s) throw notFound(`Service profile ${params.id}`);
      return xml(200, profileXml(s));
    },
    PUT: ({ req, params }) => {
      const s = si.serviceByProfile(params.id!);
      if (!s) throw notFound(`Service profile ${params.id}`);
      const b = bodyXml(req);
      const attrs = attributesOf(b);
      const fp = attrs.find((a) => a.key === 'failurePolicy')?.value ?? field(b, 'failurePolicy');
      const updated = si.configure(s.objectId, { failurePolicy: failurePolicyOf(fp), signatures: signaturesOf(attrs) ?? [] });
      return xml(200, profileXml(updated));
    },
  });

  router.on(`${SI}/serviceinstances`, {
    GET: () =>
      xml(200, el('serviceInstances', {}, ...si.view().services.map((s) => el('serviceInstance', {}, leaf('objectId', s.instanceId), leaf('name', `${s.name} instance`), el('service', {}, leaf('objectId', s.objectId), leaf('name', s.name)))))),
  });

  router.on(`${SI}/deploy`, {
    GET: () => xml(200, deployedXml(() => true)),
    POST: ({ req }) => {
      const b = bodyXml(req);
      const configs = b.tag === 'clusterDeploymentConfig' ? [b] : childrenOf(b, 'clusterDeploymentConfig');
      if (!configs.length) throw badRequest('Expected <clusterDeploymentConfigs> with at least one <clusterDeploymentConfig>');
      const plan = configs.flatMap((c) => {
        const cluster = field(c, 'clusterId');
        if (!cluster) throw badRequest('clusterDeploymentConfig needs a clusterId');
        const services = childrenOf(child(c, 'services'), 'serviceDeploymentConfig').map((s) => field(s, 'serviceId') ?? '');
        if (!services.length) throw badRequest(`clusterDeploymentConfig for ${cluster} names no service`);
        return services.map((serviceId) => ({ cluster, serviceId }));
      });
      for (const p of plan) si.service(p.serviceId);
      // All or nothing: every cluster is checked before the first is deployed.
      const byService = new Map<string, string[]>();
      for (const p of plan) byService.set(p.serviceId, [...(byService.get(p.serviceId) ?? []), p.cluster]);
      const clusters = plan.map((p) => p.cluster);
      const twice = clusters.find((c, i) => clusters.indexOf(c) !== i);
      if (twice) throw badRequest(`Cluster ${twice} is named twice: a cluster runs one partner service`);
      for (const [serviceId, list] of byService) si.checkDeploy(serviceId, list);
      for (const [serviceId, list] of byService) si.deploy(serviceId, list);
      return xml(202, el('deployedServices', {}, ...plan.map((p) => el('deployedService', {}, leaf('serviceId', p.serviceId), leaf('clusterId', p.cluster), leaf('progressStatus', 'SUCCEEDED')))));
    },
  });
  router.on(`${SI}/deploy/cluster/:clusterId`, { GET: ({ params }) => xml(200, deployedXml((c) => c === params.clusterId)) });
}
