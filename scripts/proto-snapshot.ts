/**
 * Writes workers/protocol/gen/vsfw_desc.ts: vsfw.proto's descriptor as plain data, which the
 * workers rebuild (workers/protocol/codec/descriptor-hydrate.ts) instead of decoding it at load.
 * Run after `npx buf generate --template workers/protocol/buf.gen.yaml workers/protocol`:
 * `npx tsx scripts/proto-snapshot.ts`.
 */
import { writeFileSync } from 'node:fs';
import { vsfwSnapshotSource } from '../workers/protocol/codec/descriptor-snapshot';

writeFileSync(new URL('../workers/protocol/gen/vsfw_desc.ts', import.meta.url), vsfwSnapshotSource());
