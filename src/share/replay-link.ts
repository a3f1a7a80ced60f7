/**
 * A compact lab link: instead of the lab's whole state, the classroom preset it was booted
 * from (seed and name) and the actions it has run since (workers/lab/action-log.ts), saved with
 * the lab as its history. The lab is deterministic, so the recipient boots the same preset,
 * replays the actions and has the same lab, event log included. Only a lab whose history is
 * known can be sent this way; any other lab travels whole (share-link.ts).
 */
import * as v from 'valibot';
import { type BareLabAction, replayActions } from '../../workers/lab/lab-storage';
import type { Lab } from '../../workers/lab/lab-boot';
import { actionSchema, type LabDocument } from '../../workers/lab/lab-document';
import { CLASSROOM, buildLab } from '../../workers/lab/presets/build-lab';
import { parseWith, type Outside } from '../../workers/protocol/outside';

export const REPLAY_FORMAT = 'dfw-lab/replay@1';
/** A link replays at most this many actions and this much lab time (a lesson's own bound). */
const MAX_ACTIONS = 5_000;
const MAX_LAB_TIME_MS = 14_400_000;

const uint32 = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff));
const ActionSchema = actionSchema(MAX_LAB_TIME_MS);

const ReplaySchema = v.strictObject({
  format: v.literal(REPLAY_FORMAT),
  preset: v.literal('classroom'),
  seed: uint32,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  actions: v.pipe(
    v.array(ActionSchema),
    v.maxLength(MAX_ACTIONS, `at most ${MAX_ACTIONS} actions`),
    v.check((list) => list.reduce((t, a) => t + (a.do === 'advance' ? a.ms : 0), 0) <= MAX_LAB_TIME_MS, `at most ${MAX_LAB_TIME_MS / 3_600_000} hours of lab time`),
  ),
  workingCopies: v.optional(v.record(v.string(), v.unknown())),
});
export type Replay = v.InferOutput<typeof ReplaySchema>;

/**
 * The replay that rebuilds `lab`, or null when its history is not known (not booted from the
 * classroom preset, actions let go) or is more than a link replays (then the lab travels whole).
 * A lab reopened from storage keeps its history (LabDocument.history), so it has one too.
 */
export function replayOf(lab: Lab): Replay | null {
  const history = lab.history();
  if (!history) return null;
  const copies = lab.allWorkingCopies();
  const replay = { format: REPLAY_FORMAT, ...history, ...(Object.keys(copies).length ? { workingCopies: copies } : {}) };
  const read = readReplay(replay);
  return read.ok ? read.replay : null;
}

type ReplayRead = { ok: true; replay: Replay } | { ok: false; message: string };

export function readReplay(value: Outside): ReplayRead {
  const r = parseWith(ReplaySchema, value, { abortEarly: true });
  if (r.success) return { ok: true, replay: r.output };
  const issue = r.issues[0];
  const path = issue.path?.map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('') ?? '';
  return { ok: false, message: `$${path}: ${issue.message}` };
}

/** Boots the preset in this thread, replays the actions and returns the lab's document. */
export async function labFromReplay(replay: Replay): Promise<LabDocument> {
  const [{ Lab }, { inProcessTransport }] = await Promise.all([import('../../workers/lab/lab-boot'), import('../../workers/transports')]);
  const lab = await Lab.boot(buildLab(CLASSROOM, replay.seed, replay.name), inProcessTransport);
  try {
    await replayActions(lab, replay.actions as BareLabAction[]);
    for (const [key, copy] of Object.entries(replay.workingCopies ?? {})) lab.keepWorkingCopy(key, copy);
    return await lab.snapshot();
  } finally {
    lab.dispose();
  }
}
