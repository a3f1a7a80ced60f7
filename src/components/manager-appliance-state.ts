/**
 * What the NSX Manager appliance's line says of its service. Until the lab's units answer (a
 * saved lab's kept first view, a lab still starting) nothing is known of it: "starting…", not
 * "down", which a learner reads as broken.
 */
type ApplianceState = 'starting' | 'unknown' | 'up' | 'down';

/** `live`: the lab's units answer; `probed`: what the last probe of its REST API found (null: none yet). */
export function applianceState(live: boolean, probed: 'up' | 'down' | null): ApplianceState {
  if (!live) return 'starting';
  return probed ?? 'unknown';
}

export const APPLIANCE_TEXT: Record<ApplianceState, string> = {
  starting: 'starting…',
  unknown: '…',
  up: '● running',
  down: '○ down',
};
