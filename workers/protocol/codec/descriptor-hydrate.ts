/**
 * A .proto file's descriptor rebuilt from plain data (descriptor-snapshot.ts) rather than by
 * protobuf-es's `fileDesc`, which first boots descriptor.proto's own schema and then decodes the
 * file's embedded bytes with it, reflectively: in each fresh Web Worker (four hosts and NSX
 * Manager, all on a lesson's first step) that was the largest part of loading the worker's code.
 * The messages are protobuf-es's own FileDescriptorProto shapes (defaults on a prototype, so
 * presence reads as it does on a decoded one) and the registry is protobuf-es's.
 */
import { createFileRegistry, type DescFile } from '@bufbuild/protobuf';
import type { FileDescriptorProto } from '@bufbuild/protobuf/wkt';

export type DescriptorValue = string | number | boolean | DescriptorNode | DescriptorValue[];
/** A descriptor message: its type and the fields it has set. */
export interface DescriptorNode {
  $typeName: string;
  [field: string]: DescriptorValue;
}
/** A zero message of one descriptor type: its default values (read through the prototype) and its list fields. */
export interface TypeLayout {
  zero: Record<string, string | number | boolean>;
  lists: string[];
}
export interface FileSnapshot {
  layouts: Record<string, TypeLayout>;
  file: DescriptorNode;
}

/** A descriptor message's field, rebuilt. */
type Hydrated = string | number | boolean | object;

function messageOf(node: DescriptorNode, snapshot: FileSnapshot, prototypes: Map<string, object>): object {
  const layout = snapshot.layouts[node.$typeName];
  let prototype = prototypes.get(node.$typeName);
  if (!prototype) prototypes.set(node.$typeName, (prototype = { ...layout.zero }));
  const message: Record<string, Hydrated> = Object.create(prototype);
  message.$typeName = node.$typeName;
  for (const list of layout.lists) message[list] = [];
  const valueOf = (v: DescriptorValue): Hydrated => (Array.isArray(v) ? v.map(valueOf) : typeof v === 'object' ? messageOf(v, snapshot, prototypes) : v);
  for (const [field, value] of Object.entries(node)) if (field !== '$typeName') message[field] = valueOf(value);
  return message;
}

/** The file the snapshot describes (it imports no other file). */
export function hydrateFile(snapshot: FileSnapshot): DescFile {
  const proto = messageOf(snapshot.file, snapshot, new Map()) as FileDescriptorProto;
  const file = createFileRegistry(proto, () => undefined).getFile(proto.name);
  if (!file) throw new Error(`the descriptor of ${proto.name} did not load`);
  return file;
}
