import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { create, fromBinary, toBinary, toJson, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import * as generated from '../../workers/protocol/gen/vsfw_pb';
import * as hydrated from '../../workers/protocol/vsfw-schemas';
import { vsfwSnapshotSource } from '../../workers/protocol/codec/descriptor-snapshot';
import { hydrateFile } from '../../workers/protocol/codec/descriptor-hydrate';
import { VSFW_DESCRIPTOR } from '../../workers/protocol/gen/vsfw_desc';

/** What the codecs read of a field: any difference here changes the bytes or the JSON. */
const fieldShape = (f: DescField) => ({
  name: f.name,
  number: f.number,
  kind: f.fieldKind,
  scalar: 'scalar' in f ? f.scalar : undefined,
  list: f.fieldKind === 'list' ? f.listKind : undefined,
  packed: f.fieldKind === 'list' ? f.packed : undefined,
  presence: f.presence,
  oneof: f.oneof?.name,
  jsonName: f.jsonName,
  localName: f.localName,
  enum: f.enum?.typeName,
  message: f.message?.typeName,
});
const messageShape = (m: DescMessage) => ({ typeName: m.typeName, fields: m.fields.map(fieldShape), oneofs: m.oneofs.map((o) => o.name) });

/** Own properties (as presence reads them), recursively: a descriptor decoded by protobuf-es and one rebuilt must agree. */
function ownShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ownShape);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort().map((k) => [k, ownShape((v as Record<string, unknown>)[k])]));
}

describe('vsfw.proto rebuilt from its snapshot', () => {
  it('is the snapshot of the generated code (rerun scripts/proto-snapshot.ts after buf generate)', () => {
    const stored = readFileSync(new URL('../../workers/protocol/gen/vsfw_desc.ts', import.meta.url), 'utf8');
    expect(stored).toBe(vsfwSnapshotSource());
  });

  it('gives the file descriptor protobuf-es decodes from the generated code, field by field and presence by presence', () => {
    const file = hydrateFile(VSFW_DESCRIPTOR);
    expect(ownShape(file.proto)).toEqual(ownShape(generated.file_vsfw.proto));
    expect(toBinary(FileDescriptorProtoSchema, file.proto)).toEqual(toBinary(FileDescriptorProtoSchema, generated.file_vsfw.proto));
    expect(file.messages.map(messageShape)).toEqual(generated.file_vsfw.messages.map(messageShape));
    expect(file.enums.map((e) => [e.typeName, e.values.map((x) => [x.name, x.number])])).toEqual(generated.file_vsfw.enums.map((e) => [e.typeName, e.values.map((x) => [x.name, x.number])]));
  });

  it('exports each schema under the generated name, for the same message', () => {
    for (const [name, schema] of Object.entries(hydrated)) {
      const original = (generated as Record<string, unknown>)[name] as DescMessage;
      expect(messageShape(schema), name).toEqual(messageShape(original));
    }
  });

  it('reads and writes the same bytes as the generated schemas (optional fields, 64-bit, enums, nested lists)', () => {
    const rule = create(generated.L3RuleSchema, {
      id: 1005,
      sectionId: 1003,
      direction: generated.Direction.IN,
      protocol: 6,
      icmpType: 0,
      src: { sets: ['securitygroup-10'], cidrs: ['10.0.0.0/8'], negate: true },
      dstPorts: [{ lo: 3306, hi: 3306 }],
      action: generated.RuleAction.DENY,
      tag: 'db',
    });
    const set = create(generated.RuleSetSchema, { hostId: 'host-10', generation: 1n << 40n, l3Lists: [{ l3: [rule] }], filters: [{ name: 'nic-1', generation: 7n, l3List: 0 }], excluded: ['vm-1'] });
    const bytes = toBinary(generated.RuleSetSchema, set);
    expect(toBinary(hydrated.RuleSetSchema, fromBinary(hydrated.RuleSetSchema, bytes))).toEqual(bytes);
    expect(toJson(hydrated.RuleSetSchema, fromBinary(hydrated.RuleSetSchema, bytes))).toEqual(toJson(generated.RuleSetSchema, set));
    const read = fromBinary(hydrated.L3RuleSchema, toBinary(generated.L3RuleSchema, rule));
    expect([read.protocol, read.icmpType, read.icmpCode]).toEqual([6, 0, undefined]);
  });
});

/** Every .ts and .svelte file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'gen' ? [] : sources(join(dir, e.name))) : /\.(ts|svelte)$/.test(e.name) ? [join(dir, e.name)] : []));
}

it('the app and the workers take the schemas from vsfw-schemas.ts: a generated *Schema imported anywhere brings fileDesc back into the bundles', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const offenders: string[] = [];
  for (const file of [...sources(join(root, 'workers')), ...sources(join(root, 'src'))]) {
    const rel = relative(root, file);
    // Build-time only (scripts/proto-snapshot.ts and this test import it).
    if (rel === 'workers/protocol/codec/descriptor-snapshot.ts') continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/import\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+\w+)\s+from\s+'[^']*gen\/vsfw_pb'/g)) {
      if (m[1]) continue;
      const names = m[2].startsWith('*') ? ['*'] : m[2].slice(1, -1).split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type '));
      const values = names.filter((n) => n === '*' || /Schema\b|^file_/.test(n));
      if (values.length) offenders.push(`${rel}: ${values.join(', ')}`);
    }
  }
  expect(offenders).toEqual([]);
});
