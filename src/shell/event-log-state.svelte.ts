import { lessonPresence } from '../lesson/lesson-presence.svelte';

const KEY = 'dfw-lab.event-log';

/**
 * Whether the event log at the foot of the shell is open. A learner's own choice is remembered
 * per browser; until they make one it is open, except where it would take the room the work
 * needs: on a phone, and on a short screen (a projector's 720 px) while a lesson runs.
 */
export class EventLogState {
  private chosen = $state<boolean | null>(readChoice());
  width = $state(1280);
  height = $state(800);

  get open(): boolean {
    if (this.chosen !== null) return this.chosen;
    if (this.width <= 768) return false;
    return !(lessonPresence.running && this.height <= 800);
  }

  toggle(): void {
    this.chosen = !this.open;
    globalThis.localStorage?.setItem(KEY, this.chosen ? 'open' : 'closed');
  }
}

function readChoice(): boolean | null {
  const saved = globalThis.localStorage?.getItem(KEY);
  return saved === 'open' ? true : saved === 'closed' ? false : null;
}
