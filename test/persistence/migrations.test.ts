import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { CURRENT_LAB_VERSION, type JsonObject, LAB_MIGRATIONS, defineMigrations, labFormatVersion, migrateLab } from '../../src/persistence/migrations';
import { readLabText, readLabValue } from '../../src/persistence/lab-file';

/**
 * A made-up `@0` format, older than anything shipped: `title` instead of `name`, `time`
 * instead of `clock`, no counters. It exercises the framework the way a real change would.
 */
const v0ToV1 = {
  from: 0,
  to: 1,
  up: (doc: JsonObject): JsonObject => {
    const { title, time, ...rest } = doc;
    return { ...rest, format: 'dfw-lab/lab@1', name: title, clock: time, counters: { request: 1, probe: 1 } };
  },
};

function asV0(): JsonObject {
  const { name, clock, counters: _counters, ...rest } = JSON.parse(JSON.stringify(buildLab()));
  return { ...rest, format: 'dfw-lab/lab@0', title: name, time: clock };
}

describe('lab migrations', () => {
  it('reads the current format as it is', () => {
    expect(CURRENT_LAB_VERSION).toBe(1);
    const doc = JSON.parse(JSON.stringify(buildLab()));
    expect(migrateLab(doc)).toEqual({ ok: true, doc, from: 1, applied: [] });
  });

  it('carries a v0 lab forward to a valid v1 lab', () => {
    const registry = defineMigrations([v0ToV1]);
    const old = asV0();
    const r = readLabValue(old, registry);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(0);
    expect(r.doc).toEqual(JSON.parse(JSON.stringify(buildLab())));
  });

  it('is pure: the input is not modified', () => {
    const registry = defineMigrations([v0ToV1]);
    const old = asV0();
    const before = JSON.stringify(old);
    migrateLab(old, registry);
    expect(JSON.stringify(old)).toBe(before);
  });

  it('chains steps in order and reports them', () => {
    const registry = defineMigrations([
      v0ToV1,
      { from: 1, to: 2, up: (d) => ({ ...d, format: 'dfw-lab/lab@2', v2: true }) },
    ]);
    const r = migrateLab(asV0(), registry, 2);
    expect(r).toMatchObject({ ok: true, from: 0, applied: [1, 2], doc: { format: 'dfw-lab/lab@2', v2: true, name: 'Classroom datacenter' } });
  });

  it('refuses a lab from a newer DFW Lab with a clear message', () => {
    const doc = { ...JSON.parse(JSON.stringify(buildLab())), format: 'dfw-lab/lab@2' };
    const r = migrateLab(doc);
    expect(r).toMatchObject({ ok: false, path: '$.format' });
    expect(!r.ok && r.message).toMatch(/newer DFW Lab .*dfw-lab\/lab@2.*reads up to dfw-lab\/lab@1/);
  });

  it('refuses a format it has no migration for, and what is not a lab at all', () => {
    expect(migrateLab(asV0(), LAB_MIGRATIONS)).toMatchObject({ ok: false, path: '$.format', message: expect.stringMatching(/no migration from dfw-lab\/lab@0/) });
    expect(migrateLab([])).toMatchObject({ ok: false, path: '$' });
    expect(migrateLab({ format: 'something/else@1' })).toMatchObject({ ok: false, path: '$.format' });
    expect(migrateLab({})).toMatchObject({ ok: false, path: '$.format', message: expect.stringMatching(/missing/) });
  });

  it('refuses a step that does not produce the format it promises', () => {
    const registry = defineMigrations([{ from: 0, to: 1, up: (d) => d }]);
    expect(migrateLab(asV0(), registry)).toMatchObject({ ok: false, message: expect.stringMatching(/produced format dfw-lab\/lab@0/) });
  });

  it('rejects registries with gaps or duplicates', () => {
    expect(() => defineMigrations([{ from: 0, to: 2, up: (d) => d }])).toThrow(/exactly one version/);
    expect(() => defineMigrations([v0ToV1, v0ToV1])).toThrow(/two migrations from @0/);
  });

  it('parses format versions strictly', () => {
    fc.assert(
      fc.property(fc.nat(), (n) => labFormatVersion(`dfw-lab/lab@${n}`) === n),
    );
    for (const bad of ['dfw-lab/lab@', 'dfw-lab/lab@01', 'dfw-lab/lab@1.0', 'dfw-lab/lab@-1', 'dfw-lab/scenario@1', 7, null]) expect(labFormatVersion(bad)).toBeUndefined();
  });
});

describe('lab files', () => {
  it('refuses text that is not JSON, and a damaged lab with the path of the first problem', () => {
    expect(readLabText('{"format":')).toMatchObject({ ok: false, path: '$', message: expect.stringMatching(/not valid JSON/) });
    const doc = JSON.parse(JSON.stringify(buildLab()));
    doc.components.vcenter.state.inventory.vms[2].powerState = 'exploded';
    expect(readLabText(JSON.stringify(doc))).toMatchObject({ ok: false, path: '$.components.vcenter.state.inventory.vms[2].powerState' });
  });
});
