import type { Component } from 'svelte';
import type { IconName } from '../components/ui/icon-sources';

/**
 * The app's screens, in navigation order, grouped as the vSphere client groups them: the
 * inventory and Networking & Security first, the lab's own tools apart. The shell (App.svelte)
 * draws the navigator from this list; routes reached only by links are `hidden`.
 */
type ScreenGroup = 'vsphere' | 'nsx' | 'tools' | 'course';

export interface Screen {
  path: string;
  title: string;
  group: ScreenGroup;
  keys: string;
  icon?: IconName;
  load?: () => Promise<{ default: Component }>;
  hidden?: boolean;
  /** The shell draws the page frame (padding) around a screen that does not draw its own. */
  framed?: boolean;
}

export const screens: Screen[] = [
  // Both inventory views are Inventory.svelte (no `load`); `#/inventory/<object>/<tab>` falls back to the first.
  { path: '/', title: 'Hosts and Clusters', group: 'vsphere', keys: 'g i', icon: 'inventory' },
  { path: '/vms', title: 'VMs and Templates', group: 'vsphere', keys: 'g v', icon: 'vm' },
  { path: '/nsx', title: 'Networking & Security', group: 'nsx', keys: 'g n', icon: 'firewall', load: () => import('../views/Networking.svelte') },
  { path: '/topology', title: 'Topology', group: 'tools', keys: 'g t', icon: 'topology', load: () => import('../views/Topology.svelte') },
  { path: '/consoles', title: 'Consoles', group: 'tools', keys: 'g c', icon: 'terminal', load: () => import('../views/Consoles.svelte') },
  { path: '/rest', title: 'REST API', group: 'tools', keys: 'g r', icon: 'code', load: () => import('../views/RestClient.svelte') },
  { path: '/charts', title: 'Charts', group: 'tools', keys: 'g h', icon: 'line-chart', load: () => import('../views/Charts.svelte') },
  { path: '/bus', title: 'Bus', group: 'tools', keys: 'g b', icon: 'bus', load: () => import('../views/BusSniffer.svelte') },
  { path: '/diagnostics', title: 'Diagnostics', group: 'tools', keys: 'g d', icon: 'diagnostics', framed: true, load: () => import('../views/Diagnostics.svelte') },
  { path: '/scenarios', title: 'Scenarios', group: 'course', keys: 'g s', icon: 'book', framed: true, load: () => import('../views/scenarios/Scenarios.svelte') },
  { path: '/labs', title: 'Labs', group: 'course', keys: 'g l', icon: 'labs', framed: true }, // rendered even when the lab failed to open
  { path: '/scenario', title: 'Scenario', group: 'course', keys: '', hidden: true, framed: true, load: () => import('../views/scenarios/Scenarios.svelte') },
  { path: '/s', title: 'Shared link', group: 'course', keys: '', hidden: true, framed: true, load: () => import('../views/scenarios/Scenarios.svelte') },
];

/** The navigator's sections, titled as the vSphere client titles them. */
export const screenGroups: { group: ScreenGroup; title: string }[] = [
  { group: 'vsphere', title: 'vSphere Client' },
  { group: 'nsx', title: 'NSX' },
  { group: 'tools', title: 'Lab tools' },
  { group: 'course', title: 'Course' },
];

/**
 * The pages of Networking & Security, in the order NSX's own navigator lists them; the shell's
 * navigator lists them under Networking & Security and Networking.svelte shows the one chosen.
 */
export const nsxPages = [
  { id: 'installation', title: 'Installation' },
  { id: 'firewall', title: 'Firewall' },
  { id: 'saved', title: 'Saved configurations' },
  { id: 'exclusion', title: 'Exclusion list' },
  { id: 'spoofguard', title: 'SpoofGuard' },
  { id: 'composer', title: 'Service Composer' },
  { id: 'flows', title: 'Flow monitoring' },
  { id: 'status', title: 'Publish status' },
  { id: 'events', title: 'Events & audit' },
] as const;

export type NsxPageId = (typeof nsxPages)[number]['id'];
