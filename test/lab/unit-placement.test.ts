import { describe, expect, it } from 'vitest';
import { MAX_HOST_UNITS, unitsOf, type ComponentType } from '../../workers/lab/component';
import { componentsByUnit } from '../../workers/lab/lab';

/** A lab's components by type only: manager, vCenter, bus, fabric and `hosts` hosts, in document order. */
function components(hosts: number): Record<string, { type: ComponentType }> {
  const c: Record<string, { type: ComponentType }> = { manager: { type: 'manager' }, vcenter: { type: 'vcenter' }, bus: { type: 'bus' }, fabric: { type: 'fabric' } };
  for (let i = 0; i < hosts; i++) c[`host-${100 + i}`] = { type: 'host' };
  return c;
}

describe('unit placement', () => {
  it('gives each host a unit of its own up to MAX_HOST_UNITS hosts; vCenter shares the manager\'s', () => {
    const units = unitsOf(components(MAX_HOST_UNITS));
    expect(units.get('vcenter')).toBe('manager');
    expect(units.get('manager')).toBe('manager');
    expect(units.get('bus')).toBe('bus');
    expect(units.get('fabric')).toBe('fabric');
    for (let i = 0; i < MAX_HOST_UNITS; i++) expect(units.get(`host-${100 + i}`)).toBe(`host-${100 + i}`);
    expect(componentsByUnit(components(MAX_HOST_UNITS)).size).toBe(3 + MAX_HOST_UNITS);
  });

  it('past that, spreads the hosts round robin over MAX_HOST_UNITS units, the same way for the same document', () => {
    const doc = components(64);
    const byUnit = componentsByUnit(doc);
    const hostUnits = [...byUnit].filter(([unit]) => unit.startsWith('hosts-'));
    expect(hostUnits).toHaveLength(MAX_HOST_UNITS);
    expect(hostUnits.every(([, docs]) => Object.keys(docs).length === 64 / MAX_HOST_UNITS)).toBe(true);
    expect(Object.keys(byUnit.get('hosts-0')!).slice(0, 2)).toEqual(['host-100', `host-${100 + MAX_HOST_UNITS}`]);
    expect(unitsOf(doc)).toEqual(unitsOf(components(64)));
    expect(byUnit.get('manager')).toEqual({ manager: { type: 'manager' }, vcenter: { type: 'vcenter' } });
  });
});
