import { expect, test } from './fixtures';
import { exportLab, gotoLabs, importText, labRow, openApp, sendProbe, storedLabs, waitForApiBridge, waitSaved } from './lab-helpers';

type Doc = { name: string; format: string; clock: number; events: unknown[]; components: Record<string, { state: Record<string, never> }> } & Record<string, unknown>;

/** The open classroom lab as the app exports it, to make test files from (no project imports in Playwright specs). */
async function classroomDoc(page: import('./fixtures').Page): Promise<Doc> {
  await gotoLabs(page);
  return JSON.parse((await exportLab(page, 'Classroom datacenter')).text) as Doc;
}

/** The lab as exported, without the bookkeeping every boot advances (it logs in and asks vCenter for the inventory). */
function comparable(text: string): unknown {
  const doc = JSON.parse(text);
  delete doc.counters.request;
  delete doc.nextSeq;
  delete doc.history;
  return doc;
}

/** The actions a lab's history holds (the boot's own requests are appended after a reload). */
const historyOf = (text: string): unknown[] => (JSON.parse(text) as { history: { actions: unknown[] } }).history.actions;

test('the first visit saves a lab; a renamed lab with a probe sent comes back whole after a reload', async ({ page }) => {
  await openApp(page);
  await waitSaved(page);
  await gotoLabs(page);
  await expect(labRow(page, 'Classroom datacenter')).toContainText('open');
  await page.getByRole('button', { name: 'Rename Classroom datacenter' }).click();
  await page.getByLabel('New name for Classroom datacenter').fill('Lockout practice');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.locator('.lab-name')).toHaveText('Lockout practice');
  await waitSaved(page);
  const renamed = (await storedLabs(page)).find((l) => l.name === 'Lockout practice')!.summaryRevision;
  await page.evaluate(() => (location.hash = '/'));
  await sendProbe(page);
  // The probe's changes reach the lab a moment after its verdict shows: wait for the save they cause.
  await expect.poll(async () => (await storedLabs(page)).find((l) => l.name === 'Lockout practice')!.summaryRevision, { timeout: 30_000 }).toBeGreaterThan(renamed);
  await waitSaved(page);
  await gotoLabs(page);
  const before = await exportLab(page, 'Lockout practice');
  expect(before.fileName).toBe('lockout-practice.dfw-lab.json');
  expect(JSON.parse(before.text).counters.probe).toBeGreaterThan(1);
  // The history as stored when the page goes: read-only requests after the last save (the trace
  // panel's host reads, which change nothing and start no save) are in the export, not always in it.
  const stored = (await storedLabs(page)).find((l) => l.name === 'Lockout practice')!.json!;

  // Reloaded on the datacenter's summary, whose NSX Manager appliance line the kept view shows
  // before the lab answers: each state it shows is recorded, with where its buttons are.
  await page.evaluate(() => (location.hash = '/'));
  await page.addInitScript(() => {
    const seen: { state: string; height: number }[] = [];
    (window as unknown as { applianceSeen: typeof seen }).applianceSeen = seen;
    new MutationObserver(() => {
      const state = document.querySelector<HTMLElement>('[data-testid="manager-state"]');
      if (!state?.parentElement || seen.at(-1)?.state === state.dataset.state) return;
      seen.push({ state: state.dataset.state ?? '', height: state.parentElement.getBoundingClientRect().height });
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.reload();
  await openApp(page, '/');
  await expect(page.locator('.lab-name')).toHaveText('Lockout practice');
  const state = page.getByTestId('manager-state');
  await expect(state).toHaveAttribute('data-state', 'up');
  const appliance = await page.evaluate(() => (window as unknown as { applianceSeen: { state: string; height: number }[] }).applianceSeen);
  // Kept view: "starting…", never "down"; then running, on a line of the same height.
  expect(appliance.map((a) => a.state)).toEqual(['starting', 'up']);
  expect(new Set(appliance.map((a) => a.height)).size, JSON.stringify(appliance)).toBe(1);
  // Each text the state can show takes the same width (the web font has swapped in by now): the buttons after it stay put.
  const widths = await state.evaluate((el) =>
    ['starting…', '…', '● running', '○ down'].map((text) => {
      const copy = el.cloneNode() as HTMLElement;
      copy.textContent = text;
      el.after(copy);
      const width = copy.getBoundingClientRect().width;
      copy.remove();
      return width;
    }),
  );
  expect(new Set(widths).size, widths.join(', ')).toBe(1);
  // The screens showed the view kept at the last save (first-view.ts) before the lab database
  // answered, and again with the lab read, before its workers (which join vCenter's stored parts) did.
  const order = await page.evaluate(() => {
    const at = (name: string) => performance.getEntriesByName(`dfw:${name}`)[0]?.startTime ?? NaN;
    return { early: at('saved-view-shown') < at('store-open'), read: at('document-shown') < at('units-loaded') };
  });
  expect(order).toEqual({ early: true, read: true });
  await gotoLabs(page);
  const after = await exportLab(page, 'Lockout practice');
  expect(comparable(after.text)).toEqual(comparable(before.text));
  // The history goes on from where it was saved: the compact link still rebuilds this lab.
  expect(historyOf(after.text).slice(0, historyOf(stored).length)).toEqual(historyOf(stored));
  expect(historyOf(stored).some((action) => (action as { do: string }).do === 'probe-id'), 'the probe is in the saved history').toBe(true);
});

test('export, delete, import gives the identical lab', async ({ page }) => {
  await openApp(page);
  await sendProbe(page);
  await waitSaved(page);
  await gotoLabs(page);
  await page.getByRole('button', { name: 'Duplicate Classroom datacenter' }).click();
  await expect(labRow(page, 'Classroom datacenter copy')).toBeVisible();
  const exported = await exportLab(page, 'Classroom datacenter copy');

  await page.getByRole('button', { name: 'Delete Classroom datacenter copy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this lab?' });
  await expect(dialog).toContainText('cannot be undone');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('labs-message')).toHaveText('Deleted “Classroom datacenter copy”.');
  await expect(labRow(page, 'Classroom datacenter copy')).toHaveCount(0);

  await importText(page, exported.text, exported.fileName);
  await expect(page.getByTestId('labs-message')).toHaveText('Imported “Classroom datacenter copy”.');
  const reexported = await exportLab(page, 'Classroom datacenter copy');
  expect(reexported.text).toBe(exported.text);

  await page.getByRole('button', { name: 'Open Classroom datacenter copy' }).click();
  await expect(page.locator('.lab-name')).toHaveText('Classroom datacenter copy');
  await expect(page.getByRole('navigation', { name: 'vSphere inventory' }).getByText('Lab-DC')).toBeVisible();
});

test('a corrupted import and a lab from a newer DFW Lab are refused with a clear message', async ({ page }) => {
  await openApp(page);
  await waitSaved(page);
  const classroom = await classroomDoc(page);
  const message = page.getByTestId('labs-message');

  await importText(page, '{"format": "dfw-lab/lab@1", "name": ');
  await expect(message).toContainText('This lab was not imported: this file is not valid JSON');
  await expect(message).toHaveAttribute('role', 'alert');

  const broken = structuredClone(classroom) as unknown as { components: { vcenter: { state: { inventory: { vms: { guestIps: string[] }[] } } } } };
  broken.components.vcenter.state.inventory.vms[3].guestIps = ['not-an-ip'];
  await importText(page, JSON.stringify(broken));
  await expect(message).toContainText('(at $.components.vcenter.state.inventory.vms[3].guestIps[0])');

  await importText(page, JSON.stringify({ ...classroom, format: 'dfw-lab/lab@2', name: 'From the future' }));
  await expect(message).toContainText('saved by a newer DFW Lab (format dfw-lab/lab@2)');
  await expect(message).toContainText('(at $.format)');

  expect((await storedLabs(page)).map((l) => l.name)).toEqual(['Classroom datacenter']);
});

test('an import never replaces a lab without asking', async ({ page }) => {
  await openApp(page);
  await waitSaved(page);
  const classroom = await classroomDoc(page);
  const [stored] = await storedLabs(page);
  const incoming = JSON.stringify({ ...classroom, clock: classroom.clock + 3_600_000 });

  await importText(page, incoming);
  const dialog = page.getByRole('dialog', { name: 'A lab with this name exists' });
  await expect(dialog).toContainText('You already have a lab named “Classroom datacenter”');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await storedLabs(page)).toEqual([stored]);

  await importText(page, incoming);
  await dialog.getByRole('button', { name: 'Keep both' }).click();
  await expect(page.getByTestId('labs-message')).toHaveText('Imported “Classroom datacenter (2)”.');
  const labs = await storedLabs(page);
  expect(labs.find((l) => l.id === stored.id)).toEqual(stored);

  await importText(page, incoming);
  await dialog.getByRole('button', { name: 'Replace “Classroom datacenter”' }).click();
  await expect(page.getByTestId('labs-message')).toHaveText('Replaced “Classroom datacenter” with the imported lab.');
  const replaced = (await storedLabs(page)).find((l) => l.id === stored.id)!;
  expect(JSON.parse(replaced.json!).clock).toBe(classroom.clock + 3_600_000);
});

test('closing the page in the middle of a save leaves a whole version', async ({ context }) => {
  // Three closes and reopens of a 120k-event lab: more than the default minute on a busy 2-core machine.
  test.setTimeout(240_000);
  let page = await context.newPage();
  await openApp(page);
  await waitSaved(page);
  // The service worker installs (precaching the build) once the lab is open: let it finish before the heavy lab's saves.
  await waitForApiBridge(page);
  // A heavy lab (many events) makes each save long enough to be cut short.
  const heavy = { ...(await classroomDoc(page)), name: 'Heavy lab' };
  for (let i = 0; i < 120_000; i++) heavy.events.push({ t: heavy.clock, source: 'lab', kind: 'log', severity: 'info', text: `filler event ${i} to make saving slow enough to interrupt` });
  await importText(page, JSON.stringify(heavy));
  await expect(page.getByTestId('labs-message')).toHaveText('Imported “Heavy lab”.', { timeout: 30_000 }); // 12 MB of events on a busy runner
  await page.getByRole('button', { name: 'Open Heavy lab' }).click();
  await expect(page.locator('.lab-name')).toHaveText('Heavy lab');
  await waitSaved(page);

  for (const delayMs of [0, 25, 80]) {
    const [before] = (await storedLabs(page)).filter((l) => l.name === 'Heavy lab');
    // Watched from before the probe: a save of a few changed parts can begin and end between two
    // frames, which polling would miss; an observer sees the status the moment it says 'saving'.
    await page.evaluate(() => {
      const w = window as unknown as { saveBegan?: Promise<void> };
      w.saveBegan = new Promise<void>((resolve) => {
        const saving = () => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') === 'saving';
        const watch = new MutationObserver(() => {
          if (!saving()) return;
          watch.disconnect();
          resolve();
        });
        watch.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
      });
    });
    await sendProbe(page); // the probe changes the lab: autosave starts shortly after
    // Close as soon as the save has begun.
    await page.evaluate(() =>
      Promise.race([
        (window as unknown as { saveBegan: Promise<void> }).saveBegan,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no save began within 10 s of the probe')), 10_000)),
      ]),
    );
    await page.waitForTimeout(delayMs);
    await page.close();

    page = await context.newPage();
    await openApp(page);
    await expect(page.locator('.lab-name')).toHaveText('Heavy lab');
    const [after] = (await storedLabs(page)).filter((l) => l.name === 'Heavy lab');
    // Whole: the summary and the document are of the same save, and the document is complete.
    expect(after.documentRevision).toBe(after.summaryRevision);
    // Never older than before: the closed save either committed whole or left the previous one (autosave may have committed more than once before the close).
    expect(after.summaryRevision).toBeGreaterThanOrEqual(before.summaryRevision);
    if (after.summaryRevision === before.summaryRevision) expect(after.json).toBe(before.json);
    test.info().annotations.push({ type: 'closed mid-save', description: `after ${delayMs} ms: ${after.summaryRevision === before.summaryRevision ? 'previous version kept' : 'new version committed'}` });
    // Complete: every imported event is there (the probes may have added their own after them).
    const events = JSON.parse(after.json!).events as { text: string }[];
    expect(events.length).toBeGreaterThanOrEqual(heavy.events.length);
    expect(events[heavy.events.length - 1].text).toBe((heavy.events.at(-1) as { text: string }).text);
    await waitSaved(page);
  }
});

test('a second tab opens the same lab read-only, and can edit once the first tab closes it', async ({ context }) => {
  const first = await context.newPage();
  await openApp(first);
  await waitSaved(first);
  const [stored] = await storedLabs(first);

  const second = await context.newPage();
  await openApp(second);
  const banner = second.getByTestId('read-only-banner');
  await expect(banner).toContainText('is open in another tab');
  await expect(second.getByTestId('save-status')).toHaveAttribute('data-state', 'read-only');
  await sendProbe(second);
  await second.waitForTimeout(1500); // longer than the autosave delay: a save would have happened
  expect((await storedLabs(second))[0].summaryRevision).toBe(stored.summaryRevision);

  await first.close();
  await expect(banner).toContainText('The other tab has closed');
  await banner.getByRole('button', { name: 'Reload lab' }).click();
  await expect(second.getByTestId('read-only-banner')).toHaveCount(0);
  await waitSaved(second);
  expect((await storedLabs(second))[0].summaryRevision).toBeGreaterThan(stored.summaryRevision);
});

test('a save that fails for lack of space says so, and the lab stays open and exportable', async ({ page }) => {
  await openApp(page);
  await waitSaved(page);
  // The open lab's saves run in the lab writer's worker, started by the first of them.
  await sendProbe(page);
  await waitSaved(page);
  const writer = page.workers().find((w) => w.url().includes('lab-writer'));
  if (!writer) throw new Error('no lab writer worker after a save');
  // Headless Chromium does not enforce a quota override on IndexedDB, so the writer's IndexedDB
  // answers the next writes as a full disk does, with a QuotaExceededError.
  await writer.evaluate(() => {
    const proto = IDBObjectStore.prototype as unknown as { put: (...a: unknown[]) => IDBRequest; realPut?: (...a: unknown[]) => IDBRequest };
    proto.realPut = proto.put;
    proto.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await sendProbe(page);
  const failed = page.getByTestId('save-failed');
  await expect(failed).toContainText('Not saved: this browser’s storage for DFW Lab is full');
  await expect(failed).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByRole('navigation', { name: 'vSphere inventory' }).getByText('Lab-DC')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), failed.getByRole('button', { name: 'Export lab' }).click()]);
  expect(download.suggestedFilename()).toBe('classroom-datacenter.dfw-lab.json');

  await writer.evaluate(() => {
    const proto = IDBObjectStore.prototype as unknown as { put: unknown; realPut: unknown };
    proto.put = proto.realPut;
  });
  await failed.getByRole('button', { name: 'Try again' }).click();
  await waitSaved(page);
  await expect(failed).toHaveCount(0);
});
