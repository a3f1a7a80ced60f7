/**
 * Performance marks along the app's start (`dfw:<phase>`): DevTools shows them, and the UI
 * bench (`npm run bench -- ui --phases`) reads them to break a cold load into phases.
 */
export function markBoot(phase: string): void {
  performance.mark(`dfw:${phase}`);
}
