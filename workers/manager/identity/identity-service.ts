/**
 * NSX Manager's identity firewall: Guest Introspection reports of logons and logoffs update the
 * user-to-VM mapping, which changes the members of security groups that include directory
 * groups (and so the address sets on the hosts); the Users and Groups screen edits the lab's
 * directory; a probe's deciding rule is explained by the identity that put the VM in its group.
 */
import type { IdentityView } from '../../protocol/identity';
import type { ManagerCore } from '../core';
import type { SecurityGroup } from '../types';
import { applyIdentityEvent, editDirectory, groupsOfUser, initialIdentity, isDirectoryGroupId, type DirectoryEdit, type IdentityEvent, type IdentityState } from './directory';

export type { IdentityView };

export class IdentityService {
  constructor(private readonly core: ManagerCore) {}

  get state(): IdentityState {
    return (this.core.state.identity ??= initialIdentity());
  }

  qualified(groupId: string): string {
    const s = this.state;
    return `${s.domain.netbiosName}\\${s.groups.find((g) => g.objectId === groupId)?.name ?? groupId}`;
  }

  /** A logon or logoff Guest Introspection reported (it arrives after the report delay). */
  report(e: IdentityEvent): void {
    const s = this.state;
    if (!applyIdentityEvent(s, e, this.core.ctx.now())) return;
    const who = `${s.domain.netbiosName}\\${e.user}`;
    this.core.system(`Identity firewall: ${who} ${e.event === 'logon' ? 'logged on to' : 'logged off from'} ${e.vmName} (${e.ip}), reported by Guest Introspection`);
    this.core.invalidate();
    if (this.usedInGroups()) this.core.objectsChanged(`${who} ${e.event} on ${e.vmName}`);
  }

  edit(edit: DirectoryEdit): void {
    editDirectory(this.state, edit);
    this.core.invalidate();
    if (this.usedInGroups()) this.core.objectsChanged('directory changed');
  }

  view(): IdentityView {
    const s = this.state;
    const resolver = this.core.resolver();
    return {
      domain: { ...s.domain },
      groups: s.groups.map((g) => ({ ...g, members: s.users.filter((u) => u.groups.includes(g.objectId)).map((u) => u.name) })),
      users: s.users.map((u) => ({ ...u, groups: [...u.groups] })),
      logons: s.logons.map((l) => ({ ...l })),
      securityGroups: this.core.state.securityGroups
        .filter((g) => this.directoryGroupsOf(g).length)
        .map((g) => ({ objectId: g.objectId, name: g.name, directoryGroups: this.directoryGroupsOf(g).map((d) => this.qualified(d)), vms: resolver.vmsOf(g.objectId) })),
    };
  }

  /**
   * Why a rule's source or destination held this address by identity: the user logged on at it
   * and the directory group (in which security group) that made the match, or undefined.
   */
  explain(ruleId: number, src: string, dst: string): string | undefined {
    const rule = this.core.state.config.layer3Sections.flatMap((sec) => sec.rules).find((r) => r.id === ruleId);
    if (!rule) return undefined;
    const sides: [string, string, (typeof rule)['sources']][] = [['source', src, rule.sources], ['destination', dst, rule.destinations]];
    for (const [side, ip, members] of sides) {
      const logon = this.state.logons.find((l) => l.ip === ip);
      if (!logon || !members || members.excluded) continue;
      const userGroups = new Set(groupsOfUser(this.state, logon.user).map((g) => g.objectId));
      for (const ref of members.members) {
        const sg = this.core.state.securityGroups.find((g) => g.objectId === ref.value);
        const direct = isDirectoryGroupId(ref.value) ? [ref.value] : [];
        const via = sg ? this.directoryGroupsOf(sg) : direct;
        const hit = via.find((d) => userGroups.has(d));
        if (hit) return `the ${side} matched by identity: ${this.state.domain.netbiosName}\\${logon.user} is logged on at ${logon.vmName} and is in directory group ${this.qualified(hit)}${sg ? ` (security group ${sg.name})` : ''}`;
      }
    }
    return undefined;
  }

  /** Directory groups a security group includes, directly or through nested security groups. */
  private directoryGroupsOf(g: SecurityGroup, seen = new Set<string>()): string[] {
    if (seen.has(g.objectId)) return [];
    seen.add(g.objectId);
    const out: string[] = [];
    for (const m of g.members) {
      if (isDirectoryGroupId(m)) out.push(m);
      const nested = this.core.state.securityGroups.find((x) => x.objectId === m);
      if (nested) out.push(...this.directoryGroupsOf(nested, seen));
    }
    return [...new Set(out)];
  }

  private usedInGroups(): boolean {
    return this.core.state.securityGroups.some((g) => g.members.some(isDirectoryGroupId) || g.excludeMembers.some(isDirectoryGroupId));
  }
}
