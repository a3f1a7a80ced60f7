/**
 * Imports that still cross a seam (components importing each other instead of meeting in
 * protocol, the UI reaching below the lab API), recorded when the layer check came in. The
 * list only shrinks: a new crossing fails test/architecture/layers.test.ts, and so does an entry
 * here that no longer exists (delete it when you move a type into protocol or the lab API).
 * Imports up the layers have no entry and none may be added.
 */
export const KNOWN_CROSSINGS: readonly string[] = [
  'src/lesson/share.ts -> workers/lab/lab.ts',
  'src/lib/browser-transport.ts -> workers/lab/component.ts',
  'src/lib/browser-transport.ts -> workers/lab/lab.ts',
  'src/lib/browser-transport.ts -> workers/lab/transport.ts',
  'src/lib/lab-session.svelte.ts -> workers/lab/lab.ts',
  'src/lib/lab-session.svelte.ts -> workers/lab/transport.ts',
  'src/lib/probes.svelte.ts -> workers/guest/ftp-output.ts',
  'src/persistence/lab-store.ts -> workers/lab/lab-parts.ts',
  'src/share/replay-link.ts -> workers/lab/action-log.ts',
  'src/share/replay-link.ts -> workers/lab/lab.ts',
  'src/views/Diagnostics.svelte -> workers/lab/lab.ts',

];
