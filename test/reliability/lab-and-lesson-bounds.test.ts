/**
 * Issue 18 items 11, 12 and the template part of 13: lab documents hold only what a lab can
 * have, lessons cannot ask for unbounded waiting, and a template reference cannot reach
 * JavaScript's Object.prototype.
 */
import { describe, expect, it } from 'vitest';
import { validateLabDocument } from '../../workers/lab/lab-document';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { validateScenario } from '../../workers/scenario/schema';
import { xmlPath, XmlPathError } from '../../workers/scenario/xml-path';

const lesson = (steps: unknown[]) => validateScenario({ format: 'dfw-lab/scenario@1', id: 't', title: 'T', summary: '', lab: { preset: 'classroom' }, steps });
const waits = (n: number, seconds: number) => Array.from({ length: n }, () => ({ op: 'wait', seconds }));

describe('lab documents (item 11)', () => {
  it('a clock of 1e308 is refused with its path', () => {
    const r = validateLabDocument({ ...buildLab(), clock: 1e308 });
    expect(r).toMatchObject({ ok: false, path: '$.clock' });
  });

  it('a hidden REST POST or "appliance down" queued in pending is refused', () => {
    const doc = buildLab();
    const planted = (env: object) => validateLabDocument({ ...doc, pending: [...doc.pending, { at: doc.clock + 60_000, seq: 0, env }] });
    expect(planted({ to: 'manager', from: 'lab', kind: 'rest', body: { method: 'POST', path: '/api/4.0/firewall/globalroot-0/config/layer3sections' }, requestId: 7 })).toMatchObject({ ok: false, path: '$.pending[5].env.from' });
    expect(planted({ to: 'manager', from: 'lab', kind: 'appliance', body: { state: 'down' } })).toMatchObject({ ok: false });
    expect(planted({ to: 'nowhere', from: 'manager', kind: 'x', body: {} })).toMatchObject({ ok: false, path: '$.pending[5].env.to' });
  });

  it('messages due more than a year ahead, or with absurd sequence numbers, are refused', () => {
    const doc = buildLab();
    expect(validateLabDocument({ ...doc, pending: [{ ...doc.pending[0]!, at: doc.clock + 400 * 86_400_000 }] })).toMatchObject({ ok: false });
    expect(validateLabDocument({ ...doc, nextSeq: 1e308 })).toMatchObject({ ok: false, path: '$.nextSeq' });
  });

  it('a new lab is still accepted', () => {
    expect(validateLabDocument(buildLab()).ok).toBe(true);
  });
});

describe('waits are bounded per action list and per lesson (item 12)', () => {
  it('200 waits of a week in one step are refused', () => {
    const r = lesson([{ say: 'x', do: waits(200, 604_800) }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/at most 3600 seconds/);
  });

  it('an hour per step is fine, but not five such steps in one lesson', () => {
    expect(lesson([{ say: 'x', do: waits(6, 600) }]).ok).toBe(true);
    const r = lesson(Array.from({ length: 5 }, () => ({ say: 'x', do: waits(6, 600) })));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/at most 14400 seconds/);
  });
});

describe('template XML references (item 13)', () => {
  it('@constructor and @__proto__ are attributes a section does not have', () => {
    expect(() => xmlPath('<section id="1"/>', 'section/@constructor')).toThrow(XmlPathError);
    expect(() => xmlPath('<section id="1"/>', 'section/@toString')).toThrow(XmlPathError);
    expect(xmlPath('<section __proto__="x" id="1"/>', 'section/@__proto__')).toBe('x');
    expect(xmlPath('<section id="1"/>', 'section/@id')).toBe('1');
  });
});
