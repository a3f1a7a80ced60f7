/**
 * Which Clarity shape (a file under @cds/core/icon/shapes/) draws each icon the screens use.
 * `npm run icons` reads these shapes and writes only their outline variants to icon-outlines.ts:
 * a shape module carries six or more variants (solid, alerted, badged…) the app never draws.
 */
export const iconSources = {
  'bar-chart': 'bar-chart',
  bars: 'bars',
  book: 'book',
  datacenter: 'building',
  cluster: 'cluster',
  code: 'code',
  firewall: 'firewall',
  labs: 'folder-open',
  folder: 'folder',
  help: 'help',
  host: 'host',
  'line-chart': 'line-chart',
  'logical-switch': 'network-switch',
  topology: 'nodes',
  dlr: 'router',
  terminal: 'terminal',
  inventory: 'tree-view',
  vm: 'vm',
  vms: 'vmw-app',
  diagnostics: 'cog',
  bus: 'envelope',
  actions: 'ellipsis-vertical',
  tag: 'tag',
  shield: 'shield-check',
  expand: 'angle-double',
} as const;

export type IconName = keyof typeof iconSources;
