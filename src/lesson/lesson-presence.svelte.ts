/**
 * Whether a lesson is running, for the shell: it places the lesson dock and collapses the event
 * log by default on short screens while a lesson runs. Set by the lesson work (src/lesson/).
 */
class LessonPresence {
  running = $state(false);
}

export const lessonPresence = new LessonPresence();
