/**
 * The headless lab's waits, as the relay's and the service worker's (api-protocol.ts): a request
 * waits 30 s, or what it asks with RFC 7240's `Prefer: wait=N`, said back in `Preference-Applied`.
 */
import { apiWait, timeoutReply, withPreferenceApplied, type ApiReply } from '../../src/pwa/api-protocol.ts';

/**
 * Runs a request when its turn comes, within its wait: one whose turn comes after the deadline
 * is never run (504, nothing changed); one still running at the deadline is answered 202 and
 * keeps its turn until it ends, so requests still run one at a time, in arrival order.
 */
export function inTurnWithin(turn: Promise<void>, prefer: string | undefined, run: () => Promise<ApiReply>): { reply: Promise<ApiReply>; ended: Promise<void> } {
  const wait = apiWait(prefer ?? null);
  const deadline = Date.now() + wait.ms;
  let started = false;
  const ran = turn.then(() => {
    if (Date.now() > deadline) return timeoutReply(false);
    started = true;
    return run();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<ApiReply>((resolve) => (timer = setTimeout(() => resolve(timeoutReply(started)), wait.ms)));
  const reply = Promise.race([ran, late]).then((r) => withPreferenceApplied(r, wait.applied));
  const ended = ran.then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );
  return { reply, ended };
}
