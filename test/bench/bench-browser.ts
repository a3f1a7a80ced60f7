import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Playwright's own `--disable-features` list (its bundle's `disabledFeatures`), read from the
 * installed playwright-core: Chromium keeps only the last `--disable-features` switch, so a
 * list of ours must carry Playwright's too, or its features would silently come back.
 */
function playwrightDisabledFeatures(): string[] {
  const bundle = readFileSync(createRequire(import.meta.url).resolve('playwright-core/lib/coreBundle'), 'utf8');
  const list = /disabledFeatures = \[([\s\S]*?)\]\.filter/.exec(bundle)?.[1];
  const names = list?.replace(/\/\/.*$/gm, '').match(/"[A-Za-z0-9]+"/g)?.map((q) => q.slice(1, -1));
  if (!names?.length) throw new Error("playwright-core's disabled Chromium features were not found in its bundle: update bench-browser.ts");
  return names;
}

/**
 * Headless Chromium gives every new window (each bench's fresh context) its omnibox popup, a
 * WebUI renderer of its own that loads and renders while the bench's page does (about 0.9 s of
 * CPU on this machine, inside every first-load figure): a learner's browser had its window
 * open already. The benches' windows go without it.
 */
const OMNIBOX_WEBUI = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup'];

/** The Chromium every browser bench launches: Debian's, with the flags the README names (no downloads, no background traffic). */
export const BENCH_CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--disable-features=${[...playwrightDisabledFeatures(), ...OMNIBOX_WEBUI].join(',')}`],
};
