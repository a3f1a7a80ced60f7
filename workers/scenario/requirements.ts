/**
 * Which lab operations a scenario uses beyond traffic and the screens (control-plane failures),
 * so the player can tell the learner what the lesson will break on purpose.
 */
import type { Scenario } from './schema';

export type Capability = 'op:vsfwd' | 'op:manager' | 'op:bus';

export const CAPABILITY_LABELS: Record<Capability, string> = {
  'op:vsfwd': 'vsfwd crash/stop/start',
  'op:manager': 'NSX Manager down/up',
  'op:bus': 'message-bus cut/heal',
};

export function requirementsOf(s: Scenario): Set<Capability> {
  const needs = new Set<Capability>();
  for (const step of s.steps) {
    for (const a of [...(step.do ?? []), ...(step.solution ?? [])]) {
      if (a.op === 'vsfwd' || a.op === 'manager' || a.op === 'bus') needs.add(`op:${a.op}`);
    }
  }
  return needs;
}
