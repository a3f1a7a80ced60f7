/** Web Worker entry: goal checks on a copy of the lab, off the UI thread (see goal-check.ts). */
import * as Comlink from 'comlink';
import { checkGoalsOnCopy, warmGoalChecks } from './goal-check';

const api = { check: checkGoalsOnCopy, warm: warmGoalChecks };
export type GoalCheckWorker = typeof api;
Comlink.expose(api);
