/**
 * Where goal checks run: one long-lived worker for the app (started when a lesson starts, its
 * component code loaded ahead), or in-process where Web Workers do not exist (Node tests).
 */
import * as Comlink from 'comlink';
import type { Line } from '../../workers/scenario/engine';
import { checkGoalsOnCopy, warmGoalChecks, type GoalCheckRequest } from './goal-check';
import type { GoalCheckWorker } from './goal-check.worker';

export interface GoalChecker {
  check(req: GoalCheckRequest): Promise<Line[]>;
  warm(): Promise<void>;
}

export const inProcessChecker: GoalChecker = { check: checkGoalsOnCopy, warm: warmGoalChecks };

let shared: GoalChecker | null = null;

export function goalChecker(): GoalChecker {
  if (shared) return shared;
  if (typeof Worker === 'undefined') return (shared = inProcessChecker);
  const worker = new Worker(new URL('./goal-check.worker.ts', import.meta.url), { type: 'module', name: 'goal-checks' });
  const remote = Comlink.wrap<GoalCheckWorker>(worker);
  shared = { check: (req) => remote.check(req), warm: () => remote.warm() };
  return shared;
}
