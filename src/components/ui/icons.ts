/**
 * The Clarity icon set (@cds/core shapes), by the names the screens use. Only the outline SVG of
 * each shape is bundled (icon-outlines.ts, written by `npm run icons`): not Clarity's <cds-icon>
 * web component (lit and its registry, ~17 KB gzipped) nor the shapes' other variants (~14 KB).
 */
import { iconOutlines } from './icon-outlines';
import type { IconName } from './icon-sources';

export type { IconName } from './icon-sources';

/** The SVG markup (36×36 view box) of an icon's outline. */
export function iconMarkup(name: IconName): string {
  return iconOutlines[name];
}
