/**
 * CPU time (user + system) of a process and everything it started, read from Linux's /proc:
 * the headless browser's page, GPU, network and every Web Worker, which a wall-clock figure on a
 * shared machine cannot tell apart from other work. Null where /proc is not there.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** utime + stime of one process, in ms (fields 14 and 15 of /proc/PID/stat, in clock ticks of 10 ms). */
function statOf(pid: number): { ppid: number; cpuMs: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
  } catch {
    return null;
  }
}

/** CPU ms of the processes descending from `root` (not `root` itself), leaving out the subtrees of `skip`. */
export function descendantsCpuMs(root: number, skip: readonly number[] = []): number | null {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return null;
  }
  const stats = new Map(pids.map((pid) => [pid, statOf(pid)] as const));
  const under = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      const parent = stats.get(p)?.ppid;
      if (parent === undefined || skip.includes(p)) return false;
      if (parent === root) return true;
      p = parent;
    }
    return false;
  };
  let total = 0;
  for (const [pid, stat] of stats) if (stat && under(pid)) total += stat.cpuMs;
  return total;
}
