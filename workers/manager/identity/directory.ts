/**
 * The identity firewall's view of Active Directory: one domain with its users and groups (the
 * lab's directory, editable in the Users and Groups screen), and who is logged on where, as NSX
 * Manager learned it from Guest Introspection on the VMs. A security group may include a
 * directory group: its members are then the VMs where a user of that group is logged on.
 */
import type { DirectoryDomain, DirectoryEdit, IdentityEvent, Logon } from '../../protocol/identity';

export type { DirectoryEdit, IdentityEvent, Logon };

export interface DirectoryGroup {
  /** NSX's object id for a synchronised AD group. */
  objectId: string;
  name: string;
}

interface DirectoryUser {
  /** sAMAccountName, lower case. */
  name: string;
  fullName: string;
  /** Directory group object ids. */
  groups: string[];
}

export interface IdentityState {
  domain: DirectoryDomain;
  groups: DirectoryGroup[];
  users: DirectoryUser[];
  logons: Logon[];
  nextGroup: number;
}

/** The classroom directory: corp.local with a Finance and an Engineering group. */
export function initialIdentity(): IdentityState {
  return {
    domain: { id: 1, name: 'corp.local', netbiosName: 'CORP' },
    groups: [
      { objectId: 'directory_group_1', name: 'Finance' },
      { objectId: 'directory_group_2', name: 'Engineering' },
    ],
    users: [
      { name: 'alice', fullName: 'Alice Meyer', groups: ['directory_group_1'] },
      { name: 'bob', fullName: 'Bob Jansen', groups: ['directory_group_2'] },
      { name: 'carol', fullName: 'Carol Dubois', groups: ['directory_group_1', 'directory_group_2'] },
    ],
    logons: [],
    nextGroup: 3,
  };
}

export const isDirectoryGroupId = (id: string): boolean => /^directory_group_\d+$/.test(id);

const USER_NAME = /^[a-z][a-z0-9._-]{0,31}$/;

/** `CORP\alice`, `alice@corp.local` or `alice` → `alice`; undefined when it is not a user name. */
export function userName(text: string): string | undefined {
  const bare = text.trim().toLowerCase().replace(/^[^\\]+\\/, '').replace(/@.*$/, '');
  return USER_NAME.test(bare) ? bare : undefined;
}

export function groupsOfUser(s: IdentityState, user: string): DirectoryGroup[] {
  const u = s.users.find((x) => x.name === user);
  return u ? s.groups.filter((g) => u.groups.includes(g.objectId)) : [];
}

/** VMs (moids) where a member of the directory group is logged on. */
export function vmsOfDirectoryGroup(s: IdentityState, groupId: string): string[] {
  const members = new Set(s.users.filter((u) => u.groups.includes(groupId)).map((u) => u.name));
  return [...new Set(s.logons.filter((l) => members.has(l.user)).map((l) => l.vm))].sort();
}

/** Applies a reported event; returns whether the mapping changed. */
export function applyIdentityEvent(s: IdentityState, e: IdentityEvent, now: number): boolean {
  const before = s.logons.length;
  s.logons = s.logons.filter((l) => l.vm !== e.vm || (e.event === 'logoff' && l.user !== e.user));
  if (e.event === 'logon') s.logons.push({ user: e.user, vm: e.vm, vmName: e.vmName, ip: e.ip, at: e.at, learnedAt: now });
  return e.event === 'logon' || s.logons.length !== before;
}

/** Applies an edit, or throws with the reason (nothing changed). */
export function editDirectory(s: IdentityState, edit: DirectoryEdit): void {
  switch (edit.op) {
    case 'add-group': {
      const name = edit.name.trim();
      if (!/^[\w .-]{1,64}$/.test(name)) throw new Error('A group name is 1 to 64 letters, digits, spaces, dots, dashes or underscores');
      if (s.groups.some((g) => g.name.toLowerCase() === name.toLowerCase())) throw new Error(`The group ${name} already exists`);
      s.groups.push({ objectId: `directory_group_${s.nextGroup++}`, name });
      return;
    }
    case 'add-user': {
      const name = userName(edit.name);
      if (!name || name !== edit.name.trim().toLowerCase()) throw new Error('A user name starts with a letter: lower-case letters, digits, dots, dashes or underscores, at most 32');
      if (s.users.some((u) => u.name === name)) throw new Error(`The user ${name} already exists`);
      s.users.push({ name, fullName: (edit.fullName ?? '').trim().slice(0, 128) || name, groups: [] });
      return;
    }
    case 'member': {
      const u = s.users.find((x) => x.name === edit.user);
      if (!u) throw new Error(`No user ${edit.user} in the directory`);
      if (!s.groups.some((g) => g.objectId === edit.group)) throw new Error(`No directory group ${edit.group}`);
      u.groups = edit.member ? [...new Set([...u.groups, edit.group])] : u.groups.filter((g) => g !== edit.group);
      return;
    }
  }
}
