/** Prints what this build's lab can do, as JSON (used by the Playwright specs to skip honestly). */
import { backendCapabilities } from './helpers';

console.log(JSON.stringify([...(await backendCapabilities())]));
