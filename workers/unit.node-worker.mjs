// worker_threads bootstrap: lets the worker load the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./unit.node-worker.ts');
