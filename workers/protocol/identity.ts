/**
 * The identity firewall's messages: a guest's logon or logoff as Guest Introspection reports it
 * to NSX Manager, the Users and Groups screen's edits, and the view that screen shows.
 */

/** A guest's logon or logoff as Guest Introspection reports it. A VM has one console user at a time. */
export interface IdentityEvent {
  event: 'logon' | 'logoff';
  user: string;
  vm: string;
  vmName: string;
  ip: string;
  at: number;
}

/** Edits from the Users and Groups screen: a new group, a new user, or a user's group membership. */
export type DirectoryEdit =
  | { op: 'add-group'; name: string }
  | { op: 'add-user'; name: string; fullName?: string }
  | { op: 'member'; user: string; group: string; member: boolean };

/** The directory's domain. */
export interface DirectoryDomain {
  id: number;
  name: string;
  netbiosName: string;
}

/** One logon NSX Manager knows about (Guest Introspection reported it). */
export interface Logon {
  user: string;
  vm: string;
  vmName: string;
  ip: string;
  /** Lab time the user logged on in the guest, and when NSX Manager learned it. */
  at: number;
  learnedAt: number;
}

export interface IdentityView {
  domain: DirectoryDomain;
  groups: { objectId: string; name: string; members: string[] }[];
  users: { name: string; fullName: string; groups: string[] }[];
  logons: Logon[];
  /** Security groups that include a directory group, with the VMs they stand for now. */
  securityGroups: { objectId: string; name: string; directoryGroups: string[]; vms: string[] }[];
}
