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
  layer3Sections: [{ id: 1003, name: 'Default Section Layer3', type: 'LAYER3', generationNumber: 5, timestamp: 5, tcpStrict: false, stateless: false, useSid: false, rules }],
  layer2Sections: [],
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
    const bad = JSON.parse(JSON.stringify(copy)) as { working: { layer3Sections: { rules: { action: string }[] }[] } };
    bad.working.layer3Sections[0].rules[0].action = 'explode';
    const read = readWorkingCopy(bad);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(/^working\.layer3Sections\.0\.rules\.0\.action: /);
    expect(readWorkingCopy('not a copy').ok).toBe(false);
  });

  it('a copy kept before the screen used the codec’s types is brought up to them, not refused', () => {
    const oldRule = (id: number, name: string) => ({
      id, name, action: 'allow', disabled: false, logged: false, direction: 'inout', packetType: 'any',
      sources: [{ value: 'vm-36', type: 'VirtualMachine', name: 'web-sv-01a' }], sourcesExcluded: true, destinations: [], destinationsExcluded: false,
      services: [{ value: 'application-3', type: 'Application', name: 'SSH' }, { protocol: 6, protocolName: 'TCP', destinationPort: '8080', subProtocol: '6' }],
      appliedTo: [], notes: '', tag: '', isDefault: false,
    });
    const oldConfig = (rules: object[]) => ({ contextId: 'globalroot-0', generationNumber: 5, timestamp: 0, layer3: [{ id: 1003, name: 'Default Section Layer3', type: 'LAYER3', generationNumber: 5, managedBy: '', tcpStrict: false, stateless: false, useSid: false, rules }], layer2: [], redirectSections: '<layer3RedirectSections/>' });
    const read = readWorkingCopy({ etag: '5', loadedFrom: 'monday', base: oldConfig([oldRule(1001, 'a')]), working: oldConfig([oldRule(-1, 'mine'), oldRule(1001, 'a')]) });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.copy.loadedFrom).toBe('monday');
    expect(read.copy.working.redirectSections).toBe('<layer3RedirectSections/>');
    const [mine] = read.copy.working.layer3Sections[0].rules;
    expect(mine).toEqual({
      id: -1, name: 'mine', disabled: false, logged: false, action: 'allow', appliedTo: [],
      sources: { excluded: true, members: [{ value: 'vm-36', type: 'VirtualMachine', name: 'web-sv-01a' }] }, destinations: null,
      services: [{ kind: 'ref', value: 'application-3', type: 'Application', name: 'SSH' }, { kind: 'raw', protocol: 6, destinationPort: '8080', subProtocol: 6 }],
      direction: 'inout', packetType: 'any',
    });
    // The migrated copy reads again as it is (a later save keeps the new shape).
    expect(readWorkingCopy(JSON.parse(JSON.stringify(read.copy)))).toEqual(read);
  });
});
