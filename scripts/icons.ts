/**
 * Writes src/components/ui/icon-outlines.ts: the outline SVG of each Clarity shape named in
 * icon-sources.ts. Run after changing that list or upgrading @cds/core (`npm run icons`);
 * test/ui/icons.test.ts fails when the written file and the package disagree.
 */
import { writeFile } from 'node:fs/promises';
import { iconSources } from '../src/components/ui/icon-sources';

type Shape = readonly [string, string | { outline?: string }];

/** The outline markup of one @cds/core shape module (its only export is `[name, variants]`). */
export async function clarityOutline(file: string): Promise<string> {
  const mod = (await import(`@cds/core/icon/shapes/${file}.js`)) as Record<string, Shape>;
  const shape = Object.values(mod).find((v) => Array.isArray(v) && v[0] === file);
  if (!shape) throw new Error(`@cds/core has no shape "${file}"`);
  const svg = shape[1];
  const outline = typeof svg === 'string' ? svg : svg.outline;
  if (!outline) throw new Error(`@cds/core shape "${file}" has no outline variant`);
  return outline;
}

export async function renderOutlines(): Promise<string> {
  const lines: string[] = [];
  for (const [name, file] of Object.entries(iconSources)) lines.push(`  ${JSON.stringify(name)}: ${JSON.stringify(await clarityOutline(file))},`);
  return [
    '// Written by `npm run icons` (scripts/icons.ts) from @cds/core: edit icon-sources.ts, not this file.',
    "import type { IconName } from './icon-sources';",
    '',
    'export const iconOutlines: Record<IconName, string> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile('src/components/ui/icon-outlines.ts', await renderOutlines());
  console.log(`wrote src/components/ui/icon-outlines.ts (${Object.keys(iconSources).length} icons)`);
}
