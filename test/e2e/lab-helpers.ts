/** Shared steps for the end-to-end specs: opening the app, the Labs screen, downloads, raw IndexedDB reads, the /api/ bridge. */
import { readFile } from 'node:fs/promises';
import { type Locator, type Page, expect } from '@playwright/test';
import { joinParts } from '../../workers/lab/lab-parts';

export async function openApp(page: Page, hash = '/'): Promise<void> {
  await page.goto(`/#${hash}`);
  if (hash !== '/') return;
  await expect(page.getByRole('navigation', { name: 'vSphere inventory' }).getByText('Lab-DC')).toBeVisible({ timeout: 30_000 });
  // The inventory shows before the lab's workers answer: wait for them, as the steps after this expect.
  await expect(page.locator('[data-lab-live="true"]')).toBeAttached({ timeout: 30_000 });
}

/** `fetch('/api/…')` from the page is answered by the service worker, which registers once the lab is open. */
export async function waitForApiBridge(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

export async function waitSaved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
}

export async function gotoLabs(page: Page): Promise<void> {
  await page.evaluate(() => (location.hash = '/labs'));
  await expect(page.getByRole('heading', { name: 'Labs', exact: true })).toBeVisible();
}

export function labRow(page: Page, name: string) {
  return page.getByRole('table', { name: 'Saved labs' }).getByRole('row').filter({ has: page.getByText(name, { exact: true }) });
}

/** Clicks an export button and returns the downloaded file's name and text. */
export async function exportLab(page: Page, name: string): Promise<{ fileName: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export ${name}`, exact: true }).click()]);
  return { fileName: download.suggestedFilename(), text: await readFile((await download.path())!, 'utf8') };
}

export async function importText(page: Page, text: string, name = 'lab.json'): Promise<void> {
  await page.getByLabel('Import a lab (.json)').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

export async function sendProbe(page: Page): Promise<void> {
  // A lab just opened shows its document before its workers answer; the probe's 5 s are for the probe.
  await expect(page.locator('[data-lab-live="true"]')).toBeAttached({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Send probe' }).click();
  await expect(page.locator('.verdict')).toContainText('Allowed');
}

/**
 * Reads the raw records of every saved lab, straight from IndexedDB, bypassing the app: the
 * summary's revision, the newest revision among the document's parts, and the document joined
 * from its parts (workers/lab/lab-parts.ts) as JSON.
 */
export async function storedLabs(page: Page): Promise<{ id: string; name: string; summaryRevision: number; documentRevision: number | null; json: string | null }[]> {
  const raw = await page.evaluate(
    () =>
      new Promise<{ labs: { id: string; name: string; revision: number }[]; parts: { lab: string; key: string; revision: number; json: string }[] }>((resolve, reject) => {
        const open = indexedDB.open('dfw-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['labs', 'parts']);
          const labs = tx.objectStore('labs').getAll();
          const parts = tx.objectStore('parts').getAll();
          tx.oncomplete = () => {
            resolve({ labs: labs.result, parts: parts.result });
            db.close();
          };
        };
      }),
  );
  return raw.labs.map((l) => {
    const own = raw.parts.filter((p) => p.lab === l.id);
    if (!own.length) return { id: l.id, name: l.name, summaryRevision: l.revision, documentRevision: null, json: null };
    const json = JSON.stringify(joinParts(new Map(own.map((p) => [p.key, p.json])), l.name));
    return { id: l.id, name: l.name, summaryRevision: l.revision, documentRevision: Math.max(...own.map((p) => p.revision)), json };
  });
}

/** Creates a SpoofGuard policy from the SpoofGuard screen's form; returns the policy's card. */
export async function createSpoofGuardPolicy(page: Page, name: string, mode: 'TOFU' | 'MANUAL' | 'DISABLE', network: RegExp): Promise<Locator> {
  const region = page.getByRole('region', { name: 'SpoofGuard', exact: true });
  await region.getByRole('button', { name: 'New policy…' }).click();
  const form = region.getByRole('form', { name: 'New SpoofGuard policy' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Mode').selectOption(mode);
  await form.getByRole('checkbox', { name: network }).check();
  await form.getByRole('button', { name: 'Create policy' }).click();
  await expect(form).toBeHidden({ timeout: 30_000 });
  const card = region.locator('article').filter({ hasText: name });
  await expect(card.getByLabel('Mode')).toHaveValue(mode, { timeout: 30_000 });
  return card;
}
