/**
 * The lab a lesson starts in. A lesson on the plain classroom preset (most of them) starts from
 * the classroom as it stands once its boot has run (`virtual:settled-classroom`, the app's
 * first lab): the same lab the preset gives after its first settle (scripts/settled-classroom.ts),
 * without running those waves across the lesson's workers while the learner waits.
 */
import settledClassroom from 'virtual:settled-classroom';
import type { LabDocument } from '../../workers/lab/lab-document';
import { labDocumentOf } from '../../workers/scenario/engine';
import type { Scenario } from '../../workers/scenario/schema';
import type { FirstLessonLab } from '../persistence/workspace.svelte';
import { findScenario } from '../share/library';

export function lessonLabDocument(scenario: Scenario): LabDocument {
  const lab = scenario.lab;
  if ('preset' in lab && !lab.unprepared?.length && !lab.bridgeFirewall) return settledClassroom;
  return labDocumentOf(scenario);
}

/** The name of a lesson's saved lab. */
export const lessonLabName = (scenario: Scenario) => `Lesson: ${scenario.title}`;

/** A lesson link opened as a first visit: the lesson's lab is the first lab (Workspace.start). */
export async function firstLessonLab(id: string): Promise<FirstLessonLab> {
  const scenario = await findScenario(id);
  return { lesson: id, doc: lessonLabDocument(scenario), name: lessonLabName(scenario) };
}
