/**
 * Evaluated before the rest of the app (main.ts imports it first): starts the classroom lab's
 * workers and opens the lab database (first-lab.ts) before the screens' modules are evaluated.
 */
import { startFirstLab } from './lib/first-lab';

export const firstLab = startFirstLab();
