import type { Component } from 'svelte';

/**
 * The app's screens, in navigation order, grouped as the vSphere client groups them: the
 * inventory and Networking & Security first, the lab's own tools apart. The shell (App.svelte)
 * draws the navigator from this list; routes reached only by links are `hidden`.
 */
export type ScreenGroup = 'vsphere' | 'nsx' | 'tools' | 'course';

export interface Screen {
  path: string;
  title: string;
  group: ScreenGroup;
  keys: string;
  load?: () => Promise<{ default: Component }>;
  hidden?: boolean;
}

export const screens: Screen[] = [
  { path: '/', title: 'Inventory', group: 'vsphere', keys: 'g i' },
  { path: '/nsx', title: 'Networking & Security', group: 'nsx', keys: 'g n', load: () => import('../views/Networking.svelte') },
  { path: '/topology', title: 'Topology', group: 'tools', keys: 'g t', load: () => import('../views/Topology.svelte') },
  { path: '/consoles', title: 'Consoles', group: 'tools', keys: 'g c', load: () => import('../views/Consoles.svelte') },
  { path: '/rest', title: 'REST API', group: 'tools', keys: 'g r', load: () => import('../views/RestClient.svelte') },
  { path: '/charts', title: 'Charts', group: 'tools', keys: 'g h', load: () => import('../views/Charts.svelte') },
  { path: '/bus', title: 'Bus', group: 'tools', keys: 'g b', load: () => import('../views/BusSniffer.svelte') },
  { path: '/diagnostics', title: 'Diagnostics', group: 'tools', keys: 'g d', load: () => import('../views/Diagnostics.svelte') },
  { path: '/labs', title: 'Labs', group: 'course', keys: 'g l' }, // rendered even when the lab failed to open
  { path: '/scenarios', title: 'Scenarios', group: 'course', keys: 'g s', load: () => import('../views/scenarios/Scenarios.svelte') },
  { path: '/scenario', title: 'Scenario', group: 'course', keys: '', hidden: true, load: () => import('../views/scenarios/Scenarios.svelte') },
  { path: '/s', title: 'Shared link', group: 'course', keys: '', hidden: true, load: () => import('../views/scenarios/Scenarios.svelte') },
];
