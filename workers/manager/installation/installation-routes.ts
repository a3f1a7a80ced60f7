/**
 * Host preparation in the NSX-V REST API (the 6.4 API guide's "Network Fabric Configuration";
 * these paths are not in ../shared/spec/nsx-reference.md):
 *
 * - `POST /api/2.0/nwfabric/configure` with `<nwFabricFeatureConfig><resourceConfig><resourceId>domain-c26…`
 *   installs the VIBs on a cluster through EAM; answers a job id.
 * - `GET /api/2.0/nwfabric/status?resource=domain-c26|host-30`: the features of a cluster or host.
 * - `GET /api/2.0/nwfabric/status/child/domain-c26`: the same per host of the cluster.
 * - `POST /api/2.0/nwfabric/resolveIssues/domain-c26`: EAM tries the failed hosts again.
 */
import type { ManagerCore } from '../core';
import { VCENTER } from '../../protocol/messages/vcenter';
import { badRequest, notFound } from '../errors';
import { child, el, field, leaf, type XmlNode } from '../xml';
import { bodyXml, text, xml } from '../rest/http';
import type { Router } from '../rest/router';
import { clusterFeature, FEATURE_VERSION, FIREWALL_FEATURE, firewallFeature, HOST_PREP_FEATURE, hostFeature, recordOf, type FeatureStatus } from './host-prep-status';

const FABRIC = '/api/2.0/nwfabric';

function featureXml(id: string, f: FeatureStatus): XmlNode {
  return el(
    'nwFabricFeatureStatus',
    {},
    leaf('featureId', id),
    leaf('featureVersion', FEATURE_VERSION),
    leaf('updateAvailable', false),
    leaf('status', f.status),
    f.message ? leaf('message', f.message) : null,
    leaf('installed', f.installed),
    leaf('enabled', f.status === 'GREEN'),
    leaf('allowConfiguration', !f.installed || f.status === 'RED'),
  );
}

export function registerInstallationRoutes(router: Router, core: ManagerCore): void {
  const inv = () => core.state.inventory;
  const cluster = (id: string) => inv().clusters.find((c) => c.moid === id);
  const host = (id: string) => inv().hosts.find((h) => h.moid === id);

  const resourceXml = (id: string): XmlNode => {
    const c = cluster(id);
    if (c) {
      const prep = clusterFeature(core.state.hostPrep, inv(), c.moid);
      return el('resourceStatus', {}, el('resource', {}, leaf('objectId', c.moid), leaf('objectTypeName', 'ClusterComputeResource'), leaf('name', c.name)), featureXml(HOST_PREP_FEATURE, prep), featureXml(FIREWALL_FEATURE, firewallFeature(prep)));
    }
    const h = host(id);
    if (!h) throw notFound(`Resource ${id}`);
    const prep = hostFeature(recordOf(core.state.hostPrep, h.moid));
    const scope = cluster(h.cluster);
    return el(
      'resourceStatus',
      {},
      el('resource', {}, leaf('objectId', h.moid), leaf('objectTypeName', 'HostSystem'), leaf('name', h.name), el('scope', {}, leaf('id', h.cluster), leaf('objectTypeName', 'ClusterComputeResource'), leaf('name', scope?.name))),
      featureXml(HOST_PREP_FEATURE, prep),
      featureXml(FIREWALL_FEATURE, firewallFeature(prep)),
    );
  };

  router.on(`${FABRIC}/status`, {
    GET: ({ query }) => {
      const id = query.get('resource');
      if (!id) throw badRequest('The query parameter resource (a cluster or host id, e.g. domain-c26) is required');
      return xml(200, el('resourceStatuses', {}, resourceXml(id)));
    },
  });

  router.on(`${FABRIC}/status/child/:id`, {
    GET: ({ params }) => {
      if (!cluster(params.id!)) throw notFound(`Cluster ${params.id}`);
      return xml(200, el('resourceStatuses', {}, ...inv().hosts.filter((h) => h.cluster === params.id).map((h) => resourceXml(h.moid))));
    },
  });

  router.on(`${FABRIC}/configure`, {
    POST: ({ req }) => {
      const root = bodyXml(req);
      if (root.tag !== 'nwFabricFeatureConfig') throw badRequest(`Expected <nwFabricFeatureConfig>, got <${root.tag}>`);
      const feature = field(root, 'featureId');
      if (feature && feature !== HOST_PREP_FEATURE) throw badRequest(`This lab installs only ${HOST_PREP_FEATURE} (host preparation); ${feature} is not modelled`);
      const config = child(root, 'resourceConfig');
      const id = config ? field(config, 'resourceId') : undefined;
      if (!id) throw badRequest('resourceConfig/resourceId (the cluster to prepare, e.g. domain-c26) is required');
      const c = cluster(id);
      if (!c) throw notFound(`Cluster ${id}`);
      const records = (core.state.hostPrep ??= {});
      for (const h of inv().hosts.filter((x) => x.cluster === id)) {
        const r = recordOf(records, h.moid);
        if (r.phase === 'notInstalled' || r.phase === 'failed') records[h.moid] = { phase: 'installing' };
      }
      core.system(`Host preparation of ${c.name} (${id}) started: vSphere ESX Agent Manager installs the NSX VIBs`);
      core.audit('installed network fabric on', id, null, { featureId: HOST_PREP_FEATURE });
      core.outbox.push({ to: VCENTER, kind: 'eam-install', body: { cluster: id } });
      return text(200, `jobdata-${Math.floor(core.now() / 1000) % 100_000}`);
    },
  });

  router.on(`${FABRIC}/resolveIssues/:id`, {
    POST: ({ params }) => {
      const c = cluster(params.id!);
      if (!c) throw notFound(`Cluster ${params.id}`);
      const records = (core.state.hostPrep ??= {});
      for (const h of inv().hosts.filter((x) => x.cluster === c.moid)) if (recordOf(records, h.moid).phase === 'failed') records[h.moid] = { phase: 'installing' };
      core.system(`Resolve issues on ${c.name} (${c.moid}): vSphere ESX Agent Manager retries the failed hosts`);
      core.outbox.push({ to: VCENTER, kind: 'eam-resolve', body: { cluster: c.moid } });
      return text(200, '');
    },
  });
}
