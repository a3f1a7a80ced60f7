/** The Firewall screen's unpublished working copy is part of the saved lab (issue 12, item 4). */
import { describe, expect, it } from 'vitest';
import { blankRule, type FwConfig } from '../../src/lib/nsx/firewall-model';
import { readWorkingCopy, WORKING_COPY_KEY, type FirewallWorkingCopy } from '../../src/lib/nsx/working-copy';
import { Lab } from '../../workers/lab/lab';
import { validateLabDocument } from '../../workers/lab/lab-document';
import { inProcessTransport } from '../../workers/transports';
import { bootClassroom } from '../lab/helpers';

const config = (rules = [blankRule(1001)]): FwConfig => ({
  contextId: 'globalroot-0',
  generationNumber: 5,
  timestamp: 0,
  layer3: [{ id: 1003, name: 'Default Section Layer3', type: 'LAYER3', generationNumber: 5, managedBy: '', tcpStrict: false, stateless: false, useSid: false, rules }],
  layer2: [],
});
const copy: FirewallWorkingCopy = { etag: '5', loadedFrom: '', base: config(), working: config([{ ...blankRule(-1), name: 'mine' }, blankRule(1001)]) };

describe('firewall working copy in the lab document', () => {
  it('travels with the lab snapshot and comes back when the lab boots again', async () => {
    const api = await bootClassroom();
    const without = await api.lab.snapshot();
    expect(without).not.toHaveProperty('workingCopies');
    api.lab.keepWorkingCopy(WORKING_COPY_KEY, copy);
    const saved = JSON.parse(JSON.stringify(await api.lab.snapshot())) as unknown;
    const read = validateLabDocument(saved);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const again = await Lab.boot(read.doc, inProcessTransport);
    const back = readWorkingCopy(again.workingCopy(WORKING_COPY_KEY));
    expect(back).toEqual({ ok: true, copy });
    // Published: nothing is kept any more.
    again.keepWorkingCopy(WORKING_COPY_KEY, undefined);
    expect(await again.snapshot()).not.toHaveProperty('workingCopies');
  });

  it('a damaged copy is refused with where and why, not loaded', () => {
    const bad = structuredClone(copy) as unknown as { working: { layer3: { rules: { action: string }[] }[] } };
    bad.working.layer3[0].rules[0].action = 'explode';
    const read = readWorkingCopy(bad);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(/^working\.layer3\.0\.rules\.0\.action: /);
    expect(readWorkingCopy('not a copy').ok).toBe(false);
  });
});
