/**
 * /api/4.0/services/spoofguard: policies per logical switch / port group (off, trust on first
 * use, manual) and their actions: list bindings by state, approve, publish.
 */
import type { ManagerCore } from '../core';
import { ApiError, notFound } from '../errors';
import { applyTrustOnFirstUse, vnicsOfPolicy } from '../policy/spoofguard';
import type { SpoofGuardPolicy } from '../types';
import { el, orBadRequest, type XmlNode } from '../xml';
import { decodeSpoofGuardApprovals, decodeSpoofGuardPolicy, encodeSpoofGuardList, encodeSpoofGuardPolicy, type SpoofGuardVnic } from '../../protocol/nsx/spoofguard-codec';
import { bodyXml, noContent, text, xml } from './http';
import type { Router } from './router';
import { networkObjectType } from '../../protocol/inventory';

const SG = '/api/4.0/services/spoofguard';

function policyXml(core: ManagerCore, p: SpoofGuardPolicy): XmlNode {
  const networks = core.state.inventory.networks;
  const enforcementPoints = p.enforcementPoints.map((id) => {
    const n = networks.find((x) => x.moid === id);
    return { id, name: n?.name, type: networkObjectType(n?.kind) };
  });
  return encodeSpoofGuardPolicy({ ...p, enforcementPoints });
}

/** A policy body's writable fields; its networks must exist and belong to no other policy. */
function parsePolicy(core: ManagerCore, node: XmlNode, self?: string): Omit<SpoofGuardPolicy, 'policyId' | 'defaultPolicy'> {
  const body = orBadRequest(decodeSpoofGuardPolicy(node));
  const points = body.enforcementPoints.map((e) => e.id);
  for (const id of points) {
    if (!core.state.inventory.networks.some((n) => n.moid === id)) throw new ApiError('badRequest', `Enforcement point ${id} is not a logical switch or port group`);
    const other = core.state.spoofGuardPolicies.find((p) => p.policyId !== self && p.enforcementPoints.includes(id));
    if (other) throw new ApiError('badRequest', `Network ${id} is already in SpoofGuard policy ${other.policyId}`);
  }
  return { name: body.name, description: body.description, operationMode: body.operationMode, enforcementPoints: points, allowLocalIPs: body.allowLocalIPs };
}

export function registerSpoofGuardRoutes(router: Router, core: ManagerCore): void {
  const find = (id: string | undefined) => {
    const p = core.state.spoofGuardPolicies.find((x) => x.policyId === id);
    if (!p) throw notFound(`SpoofGuard policy ${id}`);
    return p;
  };
  const changed = (reason: string) => {
    applyTrustOnFirstUse(core.state, (id) => core.index().vnic(id)?.network);
    core.objectsChanged(reason);
  };

  router.on(`${SG}/policies`, {
    GET: () => xml(200, el('spoofguardPolicies', {}, ...core.state.spoofGuardPolicies.map((p) => policyXml(core, p)))),
    POST: ({ req }) => {
      const body = parsePolicy(core, bodyXml(req));
      const p: SpoofGuardPolicy = { policyId: `spoofguardpolicy-${core.state.ids.spoofGuardPolicy++}`, defaultPolicy: false, ...body };
      core.state.spoofGuardPolicies.push(p);
      core.audit('created SpoofGuard policy', p.policyId, null, p);
      changed(`SpoofGuard policy ${p.name} created (${p.operationMode})`);
      return text(201, p.policyId, { Location: `${SG}/policies/${p.policyId}` });
    },
  });
  router.on(`${SG}/policies/:id`, {
    GET: ({ params }) => xml(200, policyXml(core, find(params.id))),
    PUT: ({ req, params }) => {
      const current = find(params.id);
      const body = parsePolicy(core, bodyXml(req), current.policyId);
      // The default policy covers whatever no other policy covers; only its mode changes.
      const next: SpoofGuardPolicy = current.defaultPolicy ? { ...current, operationMode: body.operationMode, description: body.description } : { ...current, ...body };
      core.state.spoofGuardPolicies = core.state.spoofGuardPolicies.map((p) => (p === current ? next : p));
      core.audit('updated SpoofGuard policy', current.policyId, current, next);
      changed(`SpoofGuard policy ${next.name} now ${next.operationMode}`);
      return noContent();
    },
    DELETE: ({ params }) => {
      const current = find(params.id);
      if (current.defaultPolicy) throw new ApiError('badRequest', 'The default SpoofGuard policy cannot be deleted');
      core.state.spoofGuardPolicies = core.state.spoofGuardPolicies.filter((p) => p !== current);
      core.audit('deleted SpoofGuard policy', current.policyId, current, null);
      changed(`SpoofGuard policy ${current.name} deleted`);
      return noContent();
    },
  });

  router.on(`${SG}/:id`, {
    /** `?list=ACTIVE|INACTIVE|PUBLISHED|UNPUBLISHED|REVIEW_PENDING|DUPLICATE|ALL` */
    GET: ({ params, query }) => {
      const p = find(params.id);
      const list = (query.get('list') ?? 'ALL').toUpperCase();
      const index = core.index();
      const bindings = core.state.spoofGuardBindings;
      const ipUse = new Map<string, number>();
      for (const b of bindings) ipUse.set(b.ip, (ipUse.get(b.ip) ?? 0) + 1);
      const entries = vnicsOfPolicy(core.state, p, index.allVnics).flatMap((v) => {
        const mine = bindings.filter((b) => b.vnicId === v.id);
        const detected = mine.map((b) => b.ip);
        const approved = mine.filter((b) => b.approved).map((b) => b.ip);
        const published = mine.filter((b) => b.approved && b.published).map((b) => b.ip);
        const active = v.vm.powerState === 'poweredOn';
        const keep: Record<string, boolean> = {
          ALL: true,
          ACTIVE: active,
          INACTIVE: !active,
          PUBLISHED: published.length > 0,
          UNPUBLISHED: approved.length > published.length,
          REVIEW_PENDING: detected.some((ip) => !approved.includes(ip)),
          DUPLICATE: detected.some((ip) => (ipUse.get(ip) ?? 0) > 1),
        };
        if (!(list in keep)) throw new ApiError('badRequest', `list must be one of ${Object.keys(keep).join(', ')}`);
        if (!keep[list]) return [];
        const row: SpoofGuardVnic = { id: v.id, vnicName: `${v.vm.name} - Network adapter ${v.index + 1}`, vmName: v.vm.name, vmMoid: v.vm.moid, macAddress: v.mac, detected, approved, published, inSync: approved.length === published.length };
        if (approved.length) row.approvedBy = 'admin';
        return [row];
      });
      return xml(200, encodeSpoofGuardList(entries));
    },
    /** `?action=approve` with a `<spoofguardList>` body, or `?action=publish[&vnicId=]`. */
    POST: ({ req, params, query }) => {
      const p = find(params.id);
      const action = query.get('action');
      const index = core.index();
      const covered = new Set(vnicsOfPolicy(core.state, p, index.allVnics).map((v) => v.id));
      if (action === 'approve') {
        for (const { vnicId, approved } of orBadRequest(decodeSpoofGuardApprovals(bodyXml(req)))) {
          if (!covered.has(vnicId)) throw notFound(`vNIC ${vnicId} in SpoofGuard policy ${p.policyId}`);
          const v = index.vnic(vnicId)!;
          for (const ip of approved) {
            const existing = core.state.spoofGuardBindings.find((b) => b.vnicId === vnicId && b.ip === ip);
            if (existing) existing.approved = true;
            else core.state.spoofGuardBindings.push({ vnicId, mac: v.mac, ip, approved: true, published: false });
          }
        }
        core.audit('approved SpoofGuard addresses', p.policyId, null, { bindings: core.state.spoofGuardBindings.filter((b) => covered.has(b.vnicId)) });
        return text(200, '');
      }
      if (action === 'publish') {
        const only = query.get('vnicId');
        let count = 0;
        for (const b of core.state.spoofGuardBindings) {
          if (!covered.has(b.vnicId) || (only && b.vnicId !== only) || !b.approved || b.published) continue;
          b.published = true;
          count++;
        }
        core.audit('published SpoofGuard addresses', p.policyId, null, { published: count });
        core.objectsChanged(`SpoofGuard policy ${p.name} published`);
        return text(200, '');
      }
      throw new ApiError('badRequest', 'action must be approve or publish');
    },
  });
}
