/** Whether this browser has been welcomed: the first visit (nothing started, nothing dismissed) opens on the welcome. */
const WELCOMED = 'dfw-lab/welcomed';

export function isFirstVisit(): boolean {
  try {
    const s = globalThis.localStorage;
    if (!s) return false;
    return s.getItem(WELCOMED) === null && s.getItem('dfw-lab/lessons@1') === null && s.getItem('dfw-lab/scenarios/progress') === null;
  } catch {
    return false;
  }
}

export function markWelcomed(): void {
  try {
    globalThis.localStorage?.setItem(WELCOMED, '1');
  } catch {
    /* not kept: the welcome may show again */
  }
}
