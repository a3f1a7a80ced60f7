/// <reference types="svelte" />
/// <reference types="vite/client" />

declare module 'virtual:settled-classroom' {
  import type { LabDocument } from '../workers/lab/lab-document';
  /** The classroom lab (seed 1) after its boot waves, computed at build time (vite.config.ts). */
  const doc: LabDocument;
  export default doc;
}
