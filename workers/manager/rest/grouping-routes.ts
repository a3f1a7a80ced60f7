/**
 * /api/2.0/services: security tags (create, list, attach, detach), security groups (bulk
 * create with dynamic membership, members, lookup, translation), IP sets, MAC sets, services
 * and service groups. Creates answer 201 with the new objectId as the body (PowerNSX reads it
 * from there) and a Location header (nsxramlclient reads it from there).
 */
import { isIpLiteral } from '../../protocol/nsx/object-types';
import type { ManagerCore } from '../core';
import { ApiError, notFound } from '../errors';
import { isValidMac, literalToCidrs } from '../grouping/address-literals';
import {
  parseSecurityGroup,
  parseSecurityTag,
  parseService,
  parseServiceGroup,
  parseValueSet,
  securityGroupXml,
  securityTagXml,
  serviceGroupXml,
  serviceXml,
  valueSetXml,
} from '../grouping/grouping-xml';
import { assertDeletable, assertMembers, describeObject } from '../grouping/object-catalog';
import { PREDEFINED_SERVICES, validateServiceDef } from '../grouping/services';
import type { SecurityGroup, SecurityTag, ServiceDef } from '../types';
import { childrenOf, el, field, leaf } from '../xml';
import { bodyXml, noContent, text, xml } from './http';
import type { RouteRequest, Router } from './router';

const SVC = '/api/2.0/services';

const created = (location: string, objectId: string) => text(201, objectId, { Location: location });
const isForce = (q: URLSearchParams) => q.get('force')?.toLowerCase() === 'true';

function checkScope(scope: string | undefined): void {
  if (scope !== 'globalroot-0' && scope !== 'universalroot-0') throw notFound(`Scope ${scope}`);
}

export function registerGroupingRoutes(router: Router, core: ManagerCore): void {
  const describe = (id: string) => describeObject(core, id);

  // ---- security tags -----------------------------------------------------------
  const findTag = (id: string | undefined): SecurityTag => {
    const t = core.state.securityTags.find((x) => x.objectId === id);
    if (!t) throw notFound(`Security tag ${id}`);
    return t;
  };
  /** A VM by moid or instance UUID (the tag API takes either). */
  const findVm = (id: string | undefined) => {
    const vm = core.state.inventory.vms.find((v) => v.moid === id || v.uuid === id);
    if (!vm) throw notFound(`Virtual machine ${id}`);
    return vm;
  };
  const changeTagVms = (tag: SecurityTag, vmIds: string[], attach: boolean, opName: string) => {
    const before = [...tag.vms];
    const set = new Set(tag.vms);
    for (const id of vmIds) {
      if (attach) set.add(id);
      else set.delete(id);
    }
    tag.vms = [...set].sort();
    core.audit(opName, tag.objectId, { vms: before }, { vms: tag.vms });
    core.objectsChanged(`security tag ${tag.name} ${attach ? 'attached to' : 'detached from'} ${vmIds.join(', ')}`);
  };

  router.on(`${SVC}/securitytags/tag`, {
    GET: () => xml(200, el('securityTags', {}, ...core.state.securityTags.map(securityTagXml))),
    POST: ({ req }) => {
      const body = parseSecurityTag(bodyXml(req));
      if (core.state.securityTags.some((t) => t.name === body.name)) throw new ApiError('duplicate', `Security tag "${body.name}" already exists`, 'core-services');
      const tag: SecurityTag = { objectId: `securitytag-${core.state.ids.securityTag++}`, ...body, systemResource: false, vms: [] };
      core.state.securityTags.push(tag);
      core.audit('created security tag', tag.objectId, null, tag);
      return created(`${SVC}/securitytags/tag/${tag.objectId}`, tag.objectId);
    },
  });
  router.on(`${SVC}/securitytags/tag/:tagId`, {
    GET: ({ params }) => xml(200, securityTagXml(findTag(params.tagId))),
    DELETE: ({ params, query }) => {
      const tag = findTag(params.tagId);
      if (tag.systemResource) throw new ApiError('badRequest', `Security tag ${tag.objectId} is a system tag and cannot be deleted`, 'core-services');
      if (!isForce(query) && tag.vms.length) throw new ApiError('inUse', `The requested object is in use: security tag ${tag.name} is attached to ${tag.vms.length} VM(s).`, 'core-services');
      assertDeletable(core, tag.objectId, isForce(query));
      core.state.securityTags = core.state.securityTags.filter((t) => t !== tag);
      core.audit('deleted security tag', tag.objectId, tag, null);
      core.objectsChanged(`security tag ${tag.name} deleted`);
      return noContent();
    },
  });
  const vmList = (ids: string[]) =>
    el('basicinfolist', {}, ...ids.map((id) => el('basicinfo', {}, leaf('objectId', id), leaf('objectTypeName', 'VirtualMachine'), leaf('name', describe(id).name ?? id))));
  router.on(`${SVC}/securitytags/tag/:tagId/vm`, {
    GET: ({ params }) => xml(200, vmList(findTag(params.tagId).vms)),
    /** Bulk `?action=attach|detach` with `<securityTagAssignment><tagParameter><key/><value/>`. */
    POST: ({ req, params, query }) => {
      const tag = findTag(params.tagId);
      const action = query.get('action');
      if (action !== 'attach' && action !== 'detach') throw new ApiError('badRequest', 'action must be attach or detach', 'core-services');
      const body = bodyXml(req);
      if (body.tag !== 'securityTagAssignment') throw new ApiError('badRequest', `Expected <securityTagAssignment>, got <${body.tag}>`, 'core-services');
      const vms = childrenOf(body, 'tagParameter').map((p) => {
        const key = (field(p, 'key') ?? '').toLowerCase();
        const value = field(p, 'value') ?? '';
        const vm = core.state.inventory.vms.find((v) => (key === 'vmname' ? v.name === value : key === 'instance_uuid' || key === 'bios_uuid' ? v.uuid === value : v.moid === value));
        if (!vm) throw notFound(`Virtual machine ${key}=${value}`);
        return vm.moid;
      });
      changeTagVms(tag, vms, action === 'attach', `${action === 'attach' ? 'attached' : 'detached'} security tag`);
      return xml(200, vmList(tag.vms));
    },
  });
  router.on(`${SVC}/securitytags/tag/:tagId/vmDetail`, {
    GET: ({ params }) => xml(200, el('securityTagAssignmentDetails', {}, ...findTag(params.tagId).vms.map((id) => el('vmDetail', {}, el('vm', {}, leaf('objectId', id), leaf('name', describe(id).name)))))),
  });
  router.on(`${SVC}/securitytags/tag/:tagId/vm/:vmId`, {
    PUT: ({ params }) => {
      const tag = findTag(params.tagId);
      changeTagVms(tag, [findVm(params.vmId).moid], true, 'attached security tag');
      return noContent();
    },
    DELETE: ({ params }) => {
      const tag = findTag(params.tagId);
      const vm = findVm(params.vmId);
      if (!tag.vms.includes(vm.moid)) throw notFound(`Security tag ${tag.objectId} on ${vm.moid}`);
      changeTagVms(tag, [vm.moid], false, 'detached security tag');
      return noContent();
    },
  });
  router.on(`${SVC}/securitytags/vm/:vmId`, {
    GET: ({ params }) => {
      const vm = findVm(params.vmId);
      return xml(200, el('securityTags', {}, ...core.state.securityTags.filter((t) => t.vms.includes(vm.moid)).map(securityTagXml)));
    },
  });

  // ---- security groups ---------------------------------------------------------
  const findGroup = (id: string | undefined): SecurityGroup => {
    const g = core.state.securityGroups.find((x) => x.objectId === id);
    if (!g) throw notFound(`Security group ${id}`);
    return g;
  };
  const createGroup = (r: RouteRequest, withMembers: boolean) => {
    checkScope(r.params.scope);
    const body = parseSecurityGroup(bodyXml(r.req));
    if (core.state.securityGroups.some((g) => g.name === body.name)) throw new ApiError('duplicate', `Security group "${body.name}" already exists`, 'core-services');
    const g: SecurityGroup = { objectId: `securitygroup-${core.state.ids.securityGroup++}`, ...body };
    if (!withMembers) {
      g.members = [];
      g.excludeMembers = [];
      g.dynamicSets = [];
    }
    assertMembers(core, [...g.members, ...g.excludeMembers], g.objectId);
    core.state.securityGroups.push(g);
    core.audit('created security group', g.objectId, null, g);
    core.objectsChanged(`security group ${g.name} created`);
    return created(`${SVC}/securitygroup/${g.objectId}`, g.objectId);
  };
  const updateGroup = (r: RouteRequest, withMembers: boolean) => {
    const current = findGroup(r.params.id);
    const body = parseSecurityGroup(bodyXml(r.req));
    if (core.state.securityGroups.some((g) => g !== current && g.name === body.name)) throw new ApiError('duplicate', `Security group "${body.name}" already exists`, 'core-services');
    const next: SecurityGroup = withMembers ? { objectId: current.objectId, ...body } : { ...current, name: body.name, description: body.description };
    assertMembers(core, [...next.members, ...next.excludeMembers], next.objectId);
    core.state.securityGroups = core.state.securityGroups.map((g) => (g === current ? next : g));
    core.audit('updated security group', next.objectId, current, next);
    core.objectsChanged(`security group ${next.name} updated`);
    return xml(200, securityGroupXml(next, describe));
  };
  // POST /bulk/{scopeId} creates with members; PUT /bulk/{objectId} replaces them.
  router.on(`${SVC}/securitygroup/bulk/:id`, {
    POST: (r) => createGroup({ ...r, params: { scope: r.params.id! } }, true),
    PUT: (r) => updateGroup(r, true),
  });
  router.on(`${SVC}/securitygroup/scope/:scope`, {
    GET: ({ params }) => {
      checkScope(params.scope);
      return xml(200, el('list', {}, ...core.state.securityGroups.map((g) => securityGroupXml(g, describe))));
    },
  });
  router.on(`${SVC}/securitygroup/lookup/virtualmachine/:vmId`, {
    GET: ({ params }) => {
      const vm = findVm(params.vmId);
      const resolver = core.resolver();
      const groups = core.state.securityGroups.filter((g) => resolver.vmsOf(g.objectId).includes(vm.moid));
      return xml(200, el('securityGroups', {}, el('securityGroups', {}, ...groups.map((g) => securityGroupXml(g, describe)))));
    },
  });
  router.on(`${SVC}/securitygroup/:id`, {
    // POST /securitygroup/{scopeId} creates an empty group; the other methods address a group.
    POST: (r) => createGroup({ ...r, params: { scope: r.params.id! } }, false),
    GET: ({ params }) => xml(200, securityGroupXml(findGroup(params.id), describe)),
    PUT: (r) => updateGroup(r, false),
    DELETE: ({ params, query }) => {
      const g = findGroup(params.id);
      assertDeletable(core, g.objectId, isForce(query));
      core.state.securityGroups = core.state.securityGroups.filter((x) => x !== g);
      core.audit('deleted security group', g.objectId, g, null);
      core.objectsChanged(`security group ${g.name} deleted`);
      return noContent();
    },
  });
  router.on(`${SVC}/securitygroup/:id/members/:memberId`, {
    PUT: ({ params, query }) => {
      const g = findGroup(params.id);
      const member = params.memberId!;
      if (g.members.includes(member)) {
        if (query.get('failIfExists')?.toLowerCase() === 'true') throw new ApiError('duplicate', `${member} is already a member of ${g.objectId}`, 'core-services');
        return noContent();
      }
      assertMembers(core, [member], g.objectId);
      const before = structuredClone(g);
      g.members = [...g.members, member];
      core.audit('added security group member', g.objectId, before, g);
      core.objectsChanged(`${member} added to security group ${g.name}`);
      return noContent();
    },
    DELETE: ({ params, query }) => {
      const g = findGroup(params.id);
      const member = params.memberId!;
      if (!g.members.includes(member)) {
        if (query.get('failIfAbsent')?.toLowerCase() !== 'false') throw notFound(`Member ${member} of ${g.objectId}`);
        return noContent();
      }
      const before = structuredClone(g);
      g.members = g.members.filter((m) => m !== member);
      core.audit('removed security group member', g.objectId, before, g);
      core.objectsChanged(`${member} removed from security group ${g.name}`);
      return noContent();
    },
  });
  router.on(`${SVC}/securitygroup/:id/translation/virtualmachines`, {
    GET: ({ params }) => {
      const g = findGroup(params.id);
      const vms = core.resolver().vmsOf(g.objectId);
      return xml(200, el('vmnodes', {}, ...vms.map((id) => el('vmnode', {}, leaf('vmId', id), leaf('vmName', describe(id).name)))));
    },
  });
  router.on(`${SVC}/securitygroup/:id/translation/ipaddresses`, {
    GET: ({ params }) => {
      const g = findGroup(params.id);
      const m = core.resolver().members(g.objectId);
      const index = core.index();
      const ips = new Set<string>();
      for (const id of m.vnics) {
        const v = index.vnic(id);
        if (v) for (const ip of index.ipsOfVnic(v)) ips.add(ip);
      }
      for (const lit of m.ips) for (const c of literalToCidrs(lit)) ips.add(c);
      return xml(200, el('ipNodes', {}, el('ipNode', {}, el('ipAddresses', {}, ...[...ips].sort().map((ip) => leaf('string', ip))))));
    },
  });

  // ---- IP sets and MAC sets ---------------------------------------------------------
  for (const kind of ['ipset', 'macset'] as const) {
    const listOf = () => (kind === 'ipset' ? core.state.ipSets : core.state.macSets);
    const setList = (l: typeof core.state.ipSets) => (kind === 'ipset' ? (core.state.ipSets = l) : (core.state.macSets = l));
    const validate = kind === 'ipset' ? (v: string) => !!isIpLiteral(v) && literalToCidrs(v).length > 0 : isValidMac;
    const find = (id: string | undefined) => {
      const s = listOf().find((x) => x.objectId === id);
      if (!s) throw notFound(`${kind === 'ipset' ? 'IP set' : 'MAC set'} ${id}`);
      return s;
    };
    router.on(`${SVC}/${kind}/scope/:scope`, {
      GET: ({ params }) => {
        checkScope(params.scope);
        return xml(200, el('list', {}, ...listOf().map((s) => valueSetXml(kind, s))));
      },
    });
    router.on(`${SVC}/${kind}/:id`, {
      POST: ({ req, params }) => {
        checkScope(params.id);
        const body = parseValueSet(bodyXml(req), kind, validate);
        if (listOf().some((s) => s.name === body.name)) throw new ApiError('duplicate', `${kind} "${body.name}" already exists`, 'core-services');
        const objectId = `${kind}-${kind === 'ipset' ? core.state.ids.ipSet++ : core.state.ids.macSet++}`;
        const s = { objectId, ...body };
        setList([...listOf(), s]);
        core.audit(`created ${kind}`, objectId, null, s);
        core.objectsChanged(`${kind} ${s.name} created`);
        return created(`${SVC}/${kind}/${objectId}`, objectId);
      },
      GET: ({ params }) => xml(200, valueSetXml(kind, find(params.id))),
      PUT: ({ req, params }) => {
        const current = find(params.id);
        const body = parseValueSet(bodyXml(req), kind, validate);
        const next = { ...current, ...body };
        setList(listOf().map((s) => (s === current ? next : s)));
        core.audit(`updated ${kind}`, current.objectId, current, next);
        core.objectsChanged(`${kind} ${next.name} updated`);
        return xml(200, valueSetXml(kind, next));
      },
      DELETE: ({ params, query }) => {
        const current = find(params.id);
        assertDeletable(core, current.objectId, isForce(query));
        setList(listOf().filter((s) => s !== current));
        core.audit(`deleted ${kind}`, current.objectId, current, null);
        core.objectsChanged(`${kind} ${current.name} deleted`);
        return noContent();
      },
    });
  }

  // ---- services (applications) and service groups -------------------------------------------
  const findService = (id: string | undefined): ServiceDef => {
    const s = core.state.services.find((x) => x.objectId === id) ?? PREDEFINED_SERVICES.find((x) => x.objectId === id);
    if (!s) throw notFound(`Service ${id}`);
    return s;
  };
  const assertUserService = (s: ServiceDef) => {
    if (s.systemResource) throw new ApiError('badRequest', `Service ${s.objectId} (${s.name}) is predefined and cannot be changed`, 'core-services');
  };
  router.on(`${SVC}/application/scope/:scope`, {
    GET: ({ params }) => {
      checkScope(params.scope);
      return xml(200, el('list', {}, ...[...PREDEFINED_SERVICES, ...core.state.services].map(serviceXml)));
    },
  });
  router.on(`${SVC}/application/:id`, {
    POST: ({ req, params }) => {
      checkScope(params.id);
      const body = parseService(bodyXml(req));
      const s: ServiceDef = { objectId: `application-${core.state.ids.application++}`, ...body, systemResource: false };
      try {
        validateServiceDef(s);
      } catch (e) {
        throw new ApiError('badRequest', (e as Error).message, 'core-services');
      }
      core.state.services.push(s);
      core.audit('created service', s.objectId, null, s);
      return created(`${SVC}/application/${s.objectId}`, s.objectId);
    },
    GET: ({ params }) => xml(200, serviceXml(findService(params.id))),
    PUT: ({ req, params }) => {
      const current = findService(params.id);
      assertUserService(current);
      const next: ServiceDef = { ...current, ...parseService(bodyXml(req)) };
      try {
        validateServiceDef(next);
      } catch (e) {
        throw new ApiError('badRequest', (e as Error).message, 'core-services');
      }
      core.state.services = core.state.services.map((s) => (s === current ? next : s));
      core.audit('updated service', current.objectId, current, next);
      core.republish(`service ${next.name} changed`);
      return xml(200, serviceXml(next));
    },
    DELETE: ({ params, query }) => {
      const current = findService(params.id);
      assertUserService(current);
      assertDeletable(core, current.objectId, isForce(query));
      core.state.services = core.state.services.filter((s) => s !== current);
      core.audit('deleted service', current.objectId, current, null);
      return noContent();
    },
  });
  const findServiceGroup = (id: string | undefined) => {
    const g = core.state.serviceGroups.find((x) => x.objectId === id);
    if (!g) throw notFound(`Service group ${id}`);
    return g;
  };
  router.on(`${SVC}/applicationgroup/scope/:scope`, {
    GET: ({ params }) => {
      checkScope(params.scope);
      return xml(200, el('list', {}, ...core.state.serviceGroups.map((g) => serviceGroupXml(g, describe))));
    },
  });
  router.on(`${SVC}/applicationgroup/:id`, {
    POST: ({ req, params }) => {
      checkScope(params.id);
      const body = parseServiceGroup(bodyXml(req));
      for (const m of body.members) if (!describe(m).name) throw new ApiError('badRequest', `Member service ${m} does not exist`, 'core-services');
      const g = { objectId: `applicationgroup-${core.state.ids.applicationGroup++}`, ...body };
      core.state.serviceGroups.push(g);
      core.audit('created service group', g.objectId, null, g);
      return created(`${SVC}/applicationgroup/${g.objectId}`, g.objectId);
    },
    GET: ({ params }) => xml(200, serviceGroupXml(findServiceGroup(params.id), describe)),
    DELETE: ({ params, query }) => {
      const g = findServiceGroup(params.id);
      assertDeletable(core, g.objectId, isForce(query));
      core.state.serviceGroups = core.state.serviceGroups.filter((x) => x !== g);
      core.audit('deleted service group', g.objectId, g, null);
      return noContent();
    },
  });
  router.on(`${SVC}/applicationgroup/:id/members/:memberId`, {
    PUT: ({ params }) => {
      const g = findServiceGroup(params.id);
      const m = params.memberId!;
      if (!describe(m).name || m === g.objectId) throw new ApiError('badRequest', `Member service ${m} does not exist`, 'core-services');
      const before = structuredClone(g);
      if (!g.members.includes(m)) g.members = [...g.members, m];
      core.audit('added service group member', g.objectId, before, g);
      core.republish(`service group ${g.name} changed`);
      return xml(200, serviceGroupXml(g, describe));
    },
    DELETE: ({ params }) => {
      const g = findServiceGroup(params.id);
      const m = params.memberId!;
      if (!g.members.includes(m)) throw notFound(`Member ${m} of ${g.objectId}`);
      const before = structuredClone(g);
      g.members = g.members.filter((x) => x !== m);
      core.audit('removed service group member', g.objectId, before, g);
      core.republish(`service group ${g.name} changed`);
      return noContent();
    },
  });
}
