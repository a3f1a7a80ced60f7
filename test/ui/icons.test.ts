import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderOutlines } from '../../scripts/icons';
import { iconMarkup } from '../../src/components/ui/icons';
import { iconSources, type IconName } from '../../src/components/ui/icon-sources';

describe('icon outlines', () => {
  it('icon-outlines.ts is what `npm run icons` writes from the installed @cds/core', async () => {
    const written = await readFile('src/components/ui/icon-outlines.ts', 'utf8');
    expect(written).toBe(await renderOutlines());
  });

  it('every icon named in icon-sources.ts has SVG markup', () => {
    for (const name of Object.keys(iconSources) as IconName[]) {
      expect(iconMarkup(name), name).toMatch(/^<(path|circle|rect|polygon|ellipse|line|g)\b/);
    }
  });
});
