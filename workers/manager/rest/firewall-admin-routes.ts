/**
 * The rest of /api/4.0/firewall: publish status per cluster and host, global configuration
 * (TCP strict before 6.4), event thresholds, session timers, forceSync and the upgrade state.
 */
import { dfwEnabledOn } from '../installation/host-prep-status';
import { DEFAULT_TIMEOUT_VALUES } from '../config/defaults';
import { findSection } from '../config/firewall-edit';
import { parseObjectRef } from '../config/firewall-xml';
import type { ManagerCore } from '../core';
import { ApiError, notFound } from '../errors';
import type { HostPublishStatus, SessionTimeouts } from '../types';
import { decodeThresholds, encodeThresholds } from '../../protocol/nsx/thresholds';
import { boolField, child, childrenOf, el, field, intField, leaf, orBadRequest, type XmlNode } from '../xml';
import { bodyXml, etag, noContent, requireIfMatch, strictId, xml } from './http';
import { FW } from './firewall-routes';
import type { Router } from './router';

type Status = HostPublishStatus['status'];

/** Worst status wins: any failure, else any in progress, else published. */
function combine(statuses: Status[]): Status {
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('inprogress')) return 'inprogress';
  return 'published';
}

function statusXml(core: ManagerCore, rootTag: string, minGeneration: number, extra: XmlNode[] = []): XmlNode {
  const s = core.state;
  const inv = s.inventory;
  const statusOf = (hostId: string): HostPublishStatus =>
    s.hostStatus[hostId] ?? { generation: s.config.generationNumber, status: 'inprogress', startTime: s.config.generationNumber };
  // A host that already runs a generation at least as new as the object is done with it.
  const effective = (h: HostPublishStatus): Status => (h.generation < minGeneration && h.status === 'published' ? 'inprogress' : h.status);
  const prepared = inv.hosts.filter((h) => dfwEnabledOn(s.hostPrep, h.moid));
  const clusters = inv.clusters.filter((c) => prepared.some((h) => h.cluster === c.moid)).map((c) => {
    const hosts = prepared.filter((h) => h.cluster === c.moid);
    const hs = hosts.map((h) => ({ host: h, st: statusOf(h.moid) }));
    const cStatus = combine(hs.map((x) => effective(x.st)));
    const cGen = Math.min(...hs.map((x) => x.st.generation), s.config.generationNumber);
    return el(
      'clusterStatus',
      {},
      leaf('clusterId', c.moid),
      leaf('status', cStatus),
      leaf('generationNumber', cGen),
      el(
        'hostStatusList',
        {},
        ...hs.map(({ host, st }) =>
          el(
            'hostStatus',
            {},
            leaf('hostId', host.moid),
            leaf('hostName', host.name),
            leaf('status', effective(st)),
            leaf('errorCode', st.status === 'failed' ? (st.errorCode ?? 301031) : 0),
            leaf('startTime', st.startTime),
            leaf('endTime', st.endTime),
            leaf('generationNumber', st.generation),
            leaf('clusterId', c.moid),
            leaf('generationNumberObjects', Math.max(s.objectsGeneration, st.generation)),
          ),
        ),
      ),
    );
  });
  const all = prepared.map((h) => effective(statusOf(h.moid)));
  return el(
    rootTag,
    {},
    ...extra,
    leaf('startTime', s.config.generationNumber),
    leaf('status', combine(all)),
    leaf('generationNumber', s.config.generationNumber),
    leaf('generationNumberObjects', Math.max(s.objectsGeneration, s.config.generationNumber)),
    el('clusterList', {}, ...clusters),
  );
}

function timeoutsXml(t: SessionTimeouts): XmlNode {
  return el(
    'config',
    {},
    leaf('id', t.id),
    leaf('name', t.name),
    leaf('description', t.description),
    leaf('isDefault', t.isDefault),
    leaf('generationNumber', t.generationNumber),
    el('appliedToList', {}, ...t.appliedTo.map((a) => el('appliedTo', {}, leaf('name', a.name ?? a.value), leaf('value', a.value), leaf('type', a.type), leaf('isValid', true)))),
    ...Object.entries(t.values).map(([k, v]) => leaf(k, v)),
  );
}

function parseTimeoutValues(node: XmlNode, base: Record<string, number>): Record<string, number> {
  const out = { ...base };
  for (const key of Object.keys(DEFAULT_TIMEOUT_VALUES)) {
    const v = intField(node, key);
    if (v === undefined) continue;
    const min = key === 'tcpEstablished' ? 120 : 10;
    if (v < min || v > 4320000) throw new ApiError('badRequest', `${key} must be between ${min} and 4320000 seconds`);
    out[key] = v;
  }
  return out;
}

export function registerFirewallAdminRoutes(router: Router, core: ManagerCore): void {
  router.on(`${FW}/status`, { GET: () => xml(200, statusXml(core, 'firewallStatus', core.state.config.generationNumber)) });
  router.on(`${FW}/status/:layer/:sectionId`, {
    GET: ({ params }) => {
      const type = params.layer!.toLowerCase() === 'layer2sections' ? 'LAYER2' : params.layer!.toLowerCase() === 'layer3sections' ? 'LAYER3' : undefined;
      if (!type) throw notFound(`Section list ${params.layer}`);
      const id = strictId(params.sectionId);
      if (id === undefined) throw notFound(`Section ${params.sectionId}`);
      const section = findSection(core.state.config, type, id);
      return xml(200, statusXml(core, 'sectionStatus', section.generationNumber, [leaf('sectionId', section.id)!]));
    },
  });

  router.on('/api/4.0/firewall/config/globalconfiguration', {
    GET: () => {
      const g = core.state.globalConfiguration;
      // autoDraftDisabled is not returned by GET (6.2.3+ behaviour).
      return xml(200, el('globalConfiguration', {}, leaf('layer3RuleOptimize', g.layer3RuleOptimize), leaf('layer2RuleOptimize', g.layer2RuleOptimize), leaf('tcpStrictOption', g.tcpStrictOption)));
    },
    PUT: ({ req }) => {
      const body = bodyXml(req);
      if (body.tag !== 'globalConfiguration') throw new ApiError('badRequest', `Expected <globalConfiguration>, got <${body.tag}>`);
      const before = core.state.globalConfiguration;
      const after = {
        layer3RuleOptimize: boolField(body, 'layer3RuleOptimize', before.layer3RuleOptimize),
        layer2RuleOptimize: boolField(body, 'layer2RuleOptimize', before.layer2RuleOptimize),
        tcpStrictOption: boolField(body, 'tcpStrictOption', before.tcpStrictOption),
        autoDraftDisabled: boolField(body, 'autoDraftDisabled', before.autoDraftDisabled),
      };
      core.state.globalConfiguration = after;
      core.audit('updated firewall global configuration', 'globalconfiguration', before, after);
      if (after.tcpStrictOption !== before.tcpStrictOption) {
        core.republish('TCP strict option changed', false);
      }
      return noContent();
    },
  });

  router.on('/api/4.0/firewall/stats/eventthresholds', {
    GET: () => xml(200, encodeThresholds(core.state.eventThresholds)),
    PUT: ({ req }) => {
      const sent = orBadRequest(decodeThresholds(bodyXml(req)));
      const before = core.state.eventThresholds;
      const after = { ...before, ...sent };
      core.state.eventThresholds = after;
      core.audit('updated event thresholds', 'eventthresholds', before, after);
      return xml(200, encodeThresholds(after));
    },
  });

  const findTimeouts = (id: string | undefined) => {
    const t = core.state.timeouts.find((x) => String(x.id) === id);
    if (!t) throw notFound(`Session timer configuration ${id}`);
    return t;
  };
  router.on(`${FW}/timeouts`, {
    GET: () => xml(200, el('timeoutConfigs', {}, ...core.state.timeouts.map(timeoutsXml))),
    POST: ({ req }) => {
      const body = bodyXml(req);
      const appliedTo = childrenOf(child(body, 'appliedToList'), 'appliedTo').map((a) => parseObjectRef(a, 'appliedTo'));
      if (!appliedTo.length) throw new ApiError('badRequest', 'A session timer configuration needs appliedTo (VMs or vNICs)');
      const t: SessionTimeouts = {
        id: core.state.ids.timeouts++,
        name: field(body, 'name') ?? 'Session Timers',
        description: field(body, 'description') ?? '',
        isDefault: false,
        appliedTo,
        generationNumber: core.nextGeneration(),
        values: parseTimeoutValues(body, { ...DEFAULT_TIMEOUT_VALUES }),
      };
      core.state.timeouts.push(t);
      core.audit('created session timers', String(t.id), null, t);
      return xml(201, timeoutsXml(t), { Location: `${FW}/timeouts/${t.id}` });
    },
  });
  router.on(`${FW}/timeouts/:id`, {
    GET: ({ params }) => xml(200, timeoutsXml(findTimeouts(params.id)), etag(findTimeouts(params.id).generationNumber)),
    PUT: ({ req, params }) => {
      const t = findTimeouts(params.id);
      const body = bodyXml(req);
      // The body carries the latest generationNumber (NSX-V 6.3+ rule for timers).
      const sent = intField(body, 'generationNumber');
      if (sent !== t.generationNumber) requireIfMatch(req, t.generationNumber, `session timers ${t.id}`);
      const after: SessionTimeouts = { ...t, name: field(body, 'name') ?? t.name, description: field(body, 'description') ?? t.description, values: parseTimeoutValues(body, t.values), generationNumber: core.nextGeneration() };
      core.state.timeouts = core.state.timeouts.map((x) => (x.id === t.id ? after : x));
      core.audit('updated session timers', String(t.id), t, after);
      return xml(200, timeoutsXml(after), etag(after.generationNumber));
    },
    DELETE: ({ params }) => {
      const t = findTimeouts(params.id);
      if (t.isDefault) throw new ApiError('badRequest', `Cannot delete the default session timers ${t.id}`);
      core.state.timeouts = core.state.timeouts.filter((x) => x.id !== t.id);
      core.audit('deleted session timers', String(t.id), t, null);
      return noContent();
    },
  });

  router.on('/api/4.0/firewall/forceSync/:id', {
    POST: ({ params }) => {
      const id = params.id!;
      const inv = core.state.inventory;
      const hosts = inv.hosts.filter((h) => h.moid === id || h.cluster === id);
      if (!hosts.length) throw notFound(`Host or cluster ${id}`);
      const g = core.state.config.generationNumber;
      for (const h of hosts) core.state.hostStatus[h.moid] = { generation: g, status: 'inprogress', startTime: core.now() };
      core.system(`Force sync of firewall configuration ${g} to ${id}`, { data: { hosts: hosts.map((h) => h.moid) } });
      core.publishAgain(hosts.map((h) => h.moid));
      return noContent();
    },
  });

  router.on(`${FW}/state`, {
    GET: () => xml(200, el('firewallState', {}, leaf('state', 'forward'))),
  });
}
