/**
 * A stored component is trusted without its schema check only while its parts' hashes match,
 * and the hashes are seeded with STATE_SCHEMA_VERSION (lab-parts.ts). So a change to any
 * component's state schema must come with a new version, or parts an older DFW Lab stored under
 * the looser schema would be trusted by the stricter one. This test fingerprints the schemas.
 */
import { describe, expect, it } from 'vitest';
import { componentParts, STATE_SCHEMA_VERSION } from '../../workers/lab/lab-parts';
import { hashText } from '../../workers/lab/cyrb53';
import { ExecutionUnit } from '../../workers/lab/unit';
import { componentLoaders } from '../../workers/registry';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { VCenterStateSchema } from '../../workers/protocol/inventory-schema';
import { FabricStateSchema } from '../../workers/fabric/fabric-state-schema';
import { HostStateSchema } from '../../workers/host/host-state-schema';
import { ManagerComponentStateSchema } from '../../workers/manager/manager-state-schema';
import { BrokerStateSchema } from '../../workers/bus/broker-state-schema';

/**
 * The schemas' fingerprint at each version. When the test below fails, a state schema changed:
 * add the next version with the printed fingerprint here and set STATE_SCHEMA_VERSION to it
 * (never change a fingerprint already listed).
 */
const FINGERPRINTS: Record<number, string> = {
  1: 'kuk5evzp67',
};

/** The schemas as data (kinds, types, entries, requirements, messages), without their functions. */
function fingerprint(): string {
  const seen = new WeakSet<object>();
  const json = JSON.stringify({ VCenterStateSchema, FabricStateSchema, HostStateSchema, ManagerComponentStateSchema, BrokerStateSchema }, (key, value: unknown) => {
    if (typeof value === 'function' || key.startsWith('~')) return undefined;
    if (value instanceof RegExp) return String(value);
    if (value && typeof value === 'object') {
      if (seen.has(value)) return '[again]';
      seen.add(value);
    }
    return value;
  });
  return hashText(json).toString(36);
}

describe('stored state schema version', () => {
  it('the schemas are those of STATE_SCHEMA_VERSION (bump it when a state schema changes)', () => {
    const versions = Object.values(FINGERPRINTS);
    expect(new Set(versions).size).toBe(versions.length);
    expect({ version: STATE_SCHEMA_VERSION, fingerprint: fingerprint() }).toEqual({ version: STATE_SCHEMA_VERSION, fingerprint: FINGERPRINTS[STATE_SCHEMA_VERSION] });
  });

  it('parts stored under another version are checked against the schema before they are trusted', async () => {
    const lab = buildLab();
    const parts = componentParts('vcenter', lab.components.vcenter);
    // A part an older version stored: its JSON breaks today's schema, its hash is what that version wrote.
    const older = parts.map((p) => (p.key === 'component/vcenter' ? { ...p, json: p.json!.replace('"rng":[', '"rng":["x",') } : p));
    const olderHash = (json: string) => hashText(json, STATE_SCHEMA_VERSION - 1);
    const stored = { type: 'vcenter' as const, stored: Object.fromEntries(older.map((p) => [p.key, p.json!])), hashes: Object.fromEntries(older.map((p) => [p.key, olderHash(p.json!)])) };
    await expect(new ExecutionUnit(componentLoaders).load({ vcenter: stored })).rejects.toMatchObject({ name: 'StoredComponentError', path: '$.components.vcenter.rng[0]' });
  });
});
