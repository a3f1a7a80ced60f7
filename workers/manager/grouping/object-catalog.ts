/**
 * Finding any object by id across grouping objects and the inventory: its name and type for
 * responses, whether it exists (to refuse bad members), and where it is used (to refuse a
 * delete that would leave rules pointing at nothing, unless forced).
 */
import { inferType } from '../../protocol/nsx/object-types';
import type { ManagerCore } from '../core';
import { ApiError } from '../errors';
import { PREDEFINED_SERVICES } from './services';

export function describeObject(core: ManagerCore, id: string): { name?: string; type?: string } {
  const s = core.state;
  const lists: [readonly { objectId: string; name: string }[], string][] = [
    [s.securityGroups, 'SecurityGroup'],
    [s.securityTags, 'SecurityTag'],
    [s.ipSets, 'IPSet'],
    [s.macSets, 'MACSet'],
    [s.services, 'Application'],
    [PREDEFINED_SERVICES, 'Application'],
    [s.serviceGroups, 'ApplicationGroup'],
  ];
  for (const [list, type] of lists) {
    const o = list.find((x) => x.objectId === id);
    if (o) return { name: o.name, type };
  }
  const group = s.identity?.groups.find((g) => g.objectId === id);
  if (group) return { name: `${s.identity!.domain.netbiosName}\\${group.name}`, type: 'DirectoryGroup' };
  const name = core.index().nameOf(id);
  return name === undefined ? {} : { name, type: inferType(id) };
}

function objectExists(core: ManagerCore, id: string): boolean {
  return describeObject(core, id).name !== undefined;
}

/** A human description of the first place an object is used, or undefined when unused. */
function usageOf(core: ManagerCore, id: string): string | undefined {
  const s = core.state;
  for (const section of [...s.config.layer3Sections, ...s.config.layer2Sections]) {
    for (const r of section.rules) {
      const refs = [...r.appliedTo, ...(r.sources?.members ?? []), ...(r.destinations?.members ?? [])].map((m) => m.value);
      const services = r.services.flatMap((x) => (x.kind === 'ref' ? [x.value] : []));
      if (refs.includes(id) || services.includes(id)) return `firewall section ${section.name} with id ${section.id} in firewall rule ${r.name} with id ${r.id}`;
    }
  }
  for (const g of s.securityGroups) if (g.members.includes(id) || g.excludeMembers.includes(id)) return `security group ${g.name} (${g.objectId})`;
  for (const g of s.serviceGroups) if (g.members.includes(id)) return `service group ${g.name} (${g.objectId})`;
  for (const p of s.securityPolicies) {
    if (p.securityGroupBindings.includes(id) || p.firewallActions.some((a) => a.secondarySecurityGroups.includes(id) || a.applications.includes(id))) return `security policy ${p.name} (${p.objectId})`;
  }
  return undefined;
}

/** Refuses deleting a used object unless `force=true`, with NSX's "in use" error. */
export function assertDeletable(core: ManagerCore, id: string, force: boolean): void {
  if (force) return;
  const where = usageOf(core, id);
  if (where) throw new ApiError('inUse', `The requested object is in use by ${where}.`);
}

/** Refuses members that do not exist or would nest a group in itself. */
export function assertMembers(core: ManagerCore, ids: string[], self?: string): void {
  for (const id of ids) {
    if (id === self) throw new ApiError('badRequest', `Security group ${self} cannot be a member of itself`, 'core-services');
    if (!objectExists(core, id)) throw new ApiError('badRequest', `Member object ${id} does not exist`, 'core-services');
  }
}
