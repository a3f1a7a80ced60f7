/** Turns what IndexedDB throws into a sentence a learner can act on. */

type StorageFailure = 'quota' | 'blocked' | 'other';

export function classifyStorageError(err: Error): StorageFailure {
  const name = err.name;
  if (name === 'QuotaExceededError') return 'quota';
  // Private windows, "block site data" and a disk the browser cannot open all surface as these.
  if (name === 'SecurityError' || name === 'InvalidStateError' || name === 'UnknownError' || name === 'NotAllowedError') return 'blocked';
  return 'other';
}

export function saveFailureMessage(err: Error): string {
  switch (classifyStorageError(err)) {
    case 'quota':
      return 'Not saved: this browser’s storage for DFW Lab is full. The lab is still open — export it to keep your work, or delete labs you no longer need.';
    case 'blocked':
      return 'Not saved: the browser is blocking storage for this site (private window or site data turned off?). The lab is still open — export it to keep your work.';
    default:
      return `Not saved: ${err.message}. The lab is still open — export it to keep your work.`;
  }
}
