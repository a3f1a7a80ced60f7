/**
 * The files where issue 16's grep (`as unknown as` or `: unknown`, outside strings) may still
 * match, with how many lines. Both lists only shrink: a file not named here that gains a match
 * fails test/architecture/unknown-boundary.test.ts, and so does a count higher or lower than
 * the file's (lower: lower the number here, or delete the entry).
 */

/**
 * The boundary: values that arrive untyped by nature. The lab runtime carries every
 * component's messages, states and saved parts without knowing their types (envelopes through
 * Comlink, state snapshots, IndexedDB parts); parsers read what comes from outside (files,
 * links, IndexedDB and localStorage records, postMessage) as an `Outside` (workers/protocol/
 * outside.ts: TypeScript's `unknown`, named once) through parseWith/isWith there; a caught value
 * becomes an Error there (asError) before anything reads it.
 */
export const UNKNOWN_BOUNDARY: Readonly<Record<string, { lines: number; why: string }>> = {
  // The transport: the runtime moves what only the receiving component reads.
  'workers/protocol/messages/envelope.ts': { lines: 2, why: 'the Envelope on the wire; replier() narrows a reply to its declared type' },
  'workers/lab/component.ts': { lines: 5, why: 'the Component contract: state and replies of every type' },
  'workers/lab/unit.ts': { lines: 5, why: 'an execution unit holds and returns states and replies of every component type' },
  'workers/lab/transport.ts': { lines: 1, why: 'finds the buffers to transfer in a body' },
  'workers/web-worker-unit.ts': { lines: 1, why: "a worker's global scope as Comlink's endpoint" },
  'workers/lab/lab.ts': { lines: 11, why: 'routes requests by address and kind (typed callers use Lab.ask); working copies kept for screens' },
  'workers/lab/action-log.ts': { lines: 3, why: 'records and replays any request' },
  'workers/lab/lab-format.ts': { lines: 3, why: 'bytes in any body, encoded for JSON' },
  'workers/lab/lab-parts.ts': { lines: 26, why: "splits and joins any component's JSON into IndexedDB parts" },
  'workers/lab/packed-list.ts': { lines: 14, why: "packs and unpacks any component's lists (JSON values of every type) by columns for IndexedDB" },
  'workers/lab/frozen-groups.ts': { lines: 6, why: "checks that any component's list elements are deep-frozen plain data before a save keeps what it serialised of them" },
  // Parsers: the one entry every parser of outside input goes through (parsers take an `Outside`, read only here).
  'workers/protocol/outside.ts': { lines: 2, why: 'parseWith and isWith: a valibot schema checks a value from outside' },
};

/** Still to type: each a value whose type is known but not yet written. */
export const UNKNOWN_TO_TYPE: Readonly<Record<string, number>> = {
};
