/** When to warn that storage is running out: before a save can fail, not after. */

/** Warn when less than this is left, or less than three more copies of the largest lab. */
const QUOTA_WARNING_BYTES = 50 * 1024 * 1024;
const QUOTA_WARNING_SHARE = 0.9;

export function quotaWarning(usage: number, quota: number, largestLab: number): boolean {
  if (!(quota > 0)) return false;
  const left = quota - usage;
  return usage / quota >= QUOTA_WARNING_SHARE || left < Math.min(QUOTA_WARNING_BYTES, quota / 2) || left < 3 * largestLab;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
