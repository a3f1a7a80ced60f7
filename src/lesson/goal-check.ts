/**
 * Checks a step's goals on a copy of the lab, so probes and sessions the checks send never
 * touch the learner's lab (trackers, ARP caches, counters, the event log). Runs in the goal
 * check worker (goal-check.worker.ts), off the UI thread; in-process where there are no workers.
 */
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import type { LabDocument } from '../../workers/lab/lab-document';
import { inProcessTransport } from '../../workers/lab/transport';
import { componentLoaders } from '../../workers/registry';
import { evaluateGoals, type Line } from '../../workers/scenario/engine';
import type { RecordedResult } from '../../workers/scenario/results';
import type { Step } from '../../workers/scenario/schema';

export interface GoalCheckRequest {
  doc: LabDocument;
  step: Step;
  /** Results recorded so far, as entries (a Map does not cross every boundary the same way). */
  results: [string, RecordedResult][];
  /** 1-based. */
  stepNo: number;
}

export async function checkGoalsOnCopy(req: GoalCheckRequest): Promise<Line[]> {
  const copy = new LabApi(await Lab.boot(req.doc, inProcessTransport));
  try {
    return await evaluateGoals(copy, req.step, new Map(req.results), req.stepNo);
  } finally {
    copy.lab.dispose();
  }
}

/** Loads every component's code ahead of the first check, so the first step's goals come as fast as the next. */
export async function warmGoalChecks(): Promise<void> {
  await Promise.all(Object.values(componentLoaders).map((load) => load()));
}
