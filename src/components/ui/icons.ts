/**
 * The Clarity icon set (@cds/core shapes), by the names the screens use. Only the shape data is
 * imported, not Clarity's <cds-icon> web component (lit and its registry cost ~17 KB gzipped of
 * initial JavaScript for what an inline <svg> does here); Icon.svelte draws the outline variant.
 */
import { barChartIcon } from '@cds/core/icon/shapes/bar-chart.js';
import { barsIcon } from '@cds/core/icon/shapes/bars.js';
import { bookIcon } from '@cds/core/icon/shapes/book.js';
import { buildingIcon } from '@cds/core/icon/shapes/building.js';
import { clusterIcon } from '@cds/core/icon/shapes/cluster.js';
import { codeIcon } from '@cds/core/icon/shapes/code.js';
import { firewallIcon } from '@cds/core/icon/shapes/firewall.js';
import { folderOpenIcon } from '@cds/core/icon/shapes/folder-open.js';
import { helpIcon } from '@cds/core/icon/shapes/help.js';
import { hostIcon } from '@cds/core/icon/shapes/host.js';
import { lineChartIcon } from '@cds/core/icon/shapes/line-chart.js';
import { networkSwitchIcon } from '@cds/core/icon/shapes/network-switch.js';
import { nodesIcon } from '@cds/core/icon/shapes/nodes.js';
import { routerIcon } from '@cds/core/icon/shapes/router.js';
import { terminalIcon } from '@cds/core/icon/shapes/terminal.js';
import { treeViewIcon } from '@cds/core/icon/shapes/tree-view.js';
import { vmIcon } from '@cds/core/icon/shapes/vm.js';
import { cogIcon } from '@cds/core/icon/shapes/cog.js';
import { envelopeIcon } from '@cds/core/icon/shapes/envelope.js';

/** A Clarity shape: its name and its SVG, one string or one per variant. */
type IconShapeTuple = readonly [string, string | { outline?: string }];

const shapes = {
  'bar-chart': barChartIcon,
  bars: barsIcon,
  book: bookIcon,
  datacenter: buildingIcon,
  cluster: clusterIcon,
  code: codeIcon,
  firewall: firewallIcon,
  labs: folderOpenIcon,
  help: helpIcon,
  host: hostIcon,
  'line-chart': lineChartIcon,
  'logical-switch': networkSwitchIcon,
  topology: nodesIcon,
  dlr: routerIcon,
  terminal: terminalIcon,
  inventory: treeViewIcon,
  vm: vmIcon,
  diagnostics: cogIcon,
  bus: envelopeIcon,
} satisfies Record<string, IconShapeTuple>;

export type IconName = keyof typeof shapes;

/** The SVG markup (36×36 view box) of an icon's outline, straight from the Clarity package. */
export function iconMarkup(name: IconName): string {
  const svg = (shapes[name] as IconShapeTuple)[1];
  return typeof svg === 'string' ? svg : svg.outline ?? '';
}
