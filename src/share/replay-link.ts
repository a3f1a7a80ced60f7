/**
 * A compact lab link: instead of the lab's whole state, the classroom preset it was booted
 * from (seed and name) and the actions it has run since (workers/lab/action-log.ts). The lab is
 * deterministic, so the recipient boots the same preset, replays the actions and has the same
 * lab, event log included. Only a lab booted from the preset whose actions are all still in its
 * log can be sent this way; any other lab travels whole (share-link.ts).
 */
import * as v from 'valibot';
import { type LabAction, replayActions } from '../../workers/lab/action-log';
import type { Lab } from '../../workers/lab/lab';
import { type LabDocument } from '../../workers/lab/lab-document';
import { isSettledPreset } from '../lib/settled-preset';
import { CLASSROOM, buildLab } from '../../workers/lab/presets/build-lab';

export const REPLAY_FORMAT = 'dfw-lab/replay@1';
/** A link replays at most this many actions and this much lab time (a lesson's own bound). */
const MAX_ACTIONS = 5_000;
const MAX_LAB_TIME_MS = 14_400_000;

const uint32 = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff));
const text = v.pipe(v.string(), v.maxLength(255));
const ActionSchema = v.variant('do', [
  v.strictObject({ do: v.literal('request'), to: text, kind: text, body: v.unknown() }),
  v.strictObject({ do: v.literal('advance'), ms: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_LAB_TIME_MS)) }),
  v.strictObject({ do: v.literal('probe-id') }),
  v.strictObject({ do: v.literal('session'), name: text, vm: v.optional(text) }),
]);

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

/** Without the times the log keeps: a replay needs only the order. */
function bare(a: LabAction): Replay['actions'][number] {
  const { at: _at, ...rest } = a;
  return rest;
}

/** The replay that rebuilds `lab`, or null when it was not booted from the classroom preset or its log lost actions. */
export function replayOf(lab: Lab): Replay | null {
  const boot = lab.bootDocument;
  if (lab.actionLog.dropped > 0) return null;
  // The app's first lab starts with the preset's boot waves already run: that is one `advance 0`.
  const settled = isSettledPreset(boot);
  if (!settled && JSON.stringify(boot) !== JSON.stringify(buildLab(CLASSROOM, boot.seed, boot.name))) return null;
  const copies = lab.allWorkingCopies();
  const actions = lab.actionLog.actions.map(bare);
  return {
    format: REPLAY_FORMAT, preset: 'classroom', seed: boot.seed, name: boot.name, actions: settled ? [{ do: 'advance', ms: 0 }, ...actions] : actions,
    ...(Object.keys(copies).length ? { workingCopies: copies } : {}),
  };
}

export type ReplayRead = { ok: true; replay: Replay } | { ok: false; message: string };

export function readReplay(value: unknown): ReplayRead {
  const r = v.safeParse(ReplaySchema, value, { abortEarly: true });
  if (r.success) return { ok: true, replay: r.output };
  const issue = r.issues[0];
  const path = issue.path?.map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('') ?? '';
  return { ok: false, message: `$${path}: ${issue.message}` };
}

/** Boots the preset in this thread, replays the actions and returns the lab's document. */
export async function labFromReplay(replay: Replay): Promise<LabDocument> {
  const [{ Lab }, { inProcessTransport }] = await Promise.all([import('../../workers/lab/lab'), import('../../workers/lab/transport')]);
  const lab = await Lab.boot(buildLab(CLASSROOM, replay.seed, replay.name), inProcessTransport);
  try {
    await replayActions(lab, replay.actions.map((a) => ({ ...a, at: 0 }) as LabAction));
    for (const [key, copy] of Object.entries(replay.workingCopies ?? {})) lab.keepWorkingCopy(key, copy);
    return await lab.snapshot();
  } finally {
    lab.dispose();
  }
}
