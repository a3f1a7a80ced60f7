/**
 * /api/2.1/app: the exclusion list (an excluded VM gets no firewall on any vNIC) and flow
 * monitoring statistics, which hosts feed through NsxManager.recordFlows().
 */
import type { ManagerCore } from '../core';
import { ApiError, notFound } from '../errors';
import type { FlowRecord } from '../types';
import { el, leaf, type XmlNode } from '../xml';
import { xml, text } from './http';
import type { Router } from './router';

const APP = '/api/2.1/app';

function exclusionMemberXml(core: ManagerCore, vmId: string, system: boolean): XmlNode {
  const vm = core.state.inventory.vms.find((v) => v.moid === vmId);
  const cluster = vm ? core.index().clusterOfHost(vm.host) : undefined;
  const clusterName = core.state.inventory.clusters.find((c) => c.moid === cluster)?.name;
  return el(
    'excludeMember',
    {},
    el(
      'member',
      {},
      leaf('objectId', vmId),
      leaf('objectTypeName', 'VirtualMachine'),
      leaf('name', vm?.name ?? vmId),
      cluster ? el('scope', {}, leaf('id', cluster), leaf('objectTypeName', 'ClusterComputeResource'), leaf('name', clusterName)) : null,
    ),
    leaf('systemResource', system),
  );
}

function flowXml(f: FlowRecord): XmlNode {
  return el(
    'flowStatsTcpUdp',
    {},
    leaf('startTime', f.startTime),
    leaf('endTime', f.endTime),
    leaf('ruleId', f.ruleId),
    leaf('blocked', f.blocked),
    leaf('protocol', f.protocol),
    leaf('direction', f.direction),
    leaf('sessions', f.sessions),
    leaf('sourcePackets', f.sourcePackets),
    leaf('destinationPackets', f.destinationPackets),
    leaf('sourceBytes', f.sourceBytes),
    leaf('destinationBytes', f.destinationBytes),
    leaf('networkId', f.networkId),
    leaf('sourceIp', f.sourceIp),
    leaf('destinationIp', f.destinationIp),
    leaf('destinationPort', f.destinationPort),
  );
}

export function registerAppRoutes(router: Router, core: ManagerCore): void {
  const republish = (reason: string) => core.republish(reason, false);

  router.on(`${APP}/excludelist`, {
    GET: ({ query }) => {
      const s = core.state;
      const withSystem = query.get('listSystemResources')?.toLowerCase() === 'true';
      const members = [...(withSystem ? s.exclusionSystem.map((id) => exclusionMemberXml(core, id, true)) : []), ...s.exclusionUser.map((id) => exclusionMemberXml(core, id, false))];
      return xml(
        200,
        el(
          'VshieldAppConfiguration',
          {},
          el('excludeListConfiguration', {}, leaf('objectId', 'excludeList-1'), leaf('objectTypeName', 'ExcludeListConfiguration'), leaf('revision', 1), leaf('name', 'Exclude List'), ...members),
        ),
      );
    },
  });

  router.on(`${APP}/excludelist/:vmId`, {
    PUT: ({ params }) => {
      const s = core.state;
      const vm = s.inventory.vms.find((v) => v.moid === params.vmId);
      if (!vm) throw notFound(`Virtual machine ${params.vmId}`);
      if (s.exclusionSystem.includes(vm.moid) || s.exclusionUser.includes(vm.moid)) return text(200, '');
      const before = [...s.exclusionUser];
      s.exclusionUser = [...s.exclusionUser, vm.moid];
      core.audit('added VM to exclusion list', vm.moid, { members: before }, { members: s.exclusionUser });
      republish(`${vm.name} added to the exclusion list`);
      return text(200, '');
    },
    DELETE: ({ params }) => {
      const s = core.state;
      const id = params.vmId!;
      if (s.exclusionSystem.includes(id)) throw new ApiError('badRequest', `${id} is a system resource and stays on the exclusion list`);
      if (!s.exclusionUser.includes(id)) throw notFound(`Exclusion list member ${id}`);
      const before = [...s.exclusionUser];
      s.exclusionUser = s.exclusionUser.filter((x) => x !== id);
      core.audit('removed VM from exclusion list', id, { members: before }, { members: s.exclusionUser });
      republish(`${id} removed from the exclusion list`);
      return text(200, '');
    },
  });

  router.on(`${APP}/flow/flowstats`, {
    GET: ({ query }) => {
      const contextId = query.get('contextId') ?? '';
      const flowType = (query.get('flowType') ?? 'TCP_UDP').toUpperCase();
      const start = Number(query.get('startTime') ?? 0) || 0;
      const end = Number(query.get('endTime') ?? Number.MAX_SAFE_INTEGER) || Number.MAX_SAFE_INTEGER;
      const startIndex = Math.max(0, Number(query.get('startIndex') ?? 0) || 0);
      const pageSize = Math.max(1, Math.min(1024, Number(query.get('pageSize') ?? 256) || 256));
      if (!['TCP_UDP', 'LAYER2', 'LAYER3'].includes(flowType)) throw new ApiError('badRequest', `flowType ${flowType} must be TCP_UDP, LAYER2 or LAYER3`);
      const everywhere = contextId === '' || contextId === core.state.inventory.datacenter.moid;
      const matches = core.state.flows.filter(
        (f) =>
          (everywhere || f.contextId === contextId || f.networkId === contextId) &&
          f.endTime >= start &&
          f.startTime <= end &&
          (flowType === 'TCP_UDP' ? f.protocol === 0 || f.protocol === 1 : flowType === 'LAYER3' ? f.protocol === 2 : false),
      );
      const page = matches.slice(startIndex, startIndex + pageSize);
      return xml(
        200,
        el(
          'FlowStatsPage',
          {},
          el('pagingInfo', {}, leaf('pageSize', pageSize), leaf('startIndex', startIndex), leaf('totalCount', matches.length), leaf('sortOrderAscending', true)),
          ...page.map(flowXml),
        ),
      );
    },
  });
  router.on(`${APP}/flow/flowstats/info`, {
    GET: () => {
      const f = core.state.flows;
      return xml(
        200,
        el(
          'FlowStatsInfo',
          {},
          leaf('minStartTime', f.length ? Math.min(...f.map((x) => x.startTime)) : 0),
          leaf('maxEndTime', f.length ? Math.max(...f.map((x) => x.endTime)) : 0),
          leaf('tcpUdpFlowCount', f.filter((x) => x.protocol !== 2).length),
          leaf('layer3FlowCount', f.filter((x) => x.protocol === 2).length),
          leaf('layer2FlowCount', 0),
        ),
      );
    },
  });
}
