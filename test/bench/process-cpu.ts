/**
 * CPU time (user + system) of a process and everything it started, read from Linux's /proc:
 * the headless browser's page, GPU, network and every Web Worker, which a wall-clock figure on a
 * shared machine cannot tell apart from other work. Null where /proc is not there.
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * utime + stime of one process (or, with `/task/TID` in `path`, one thread), in ms (fields 14 and
 * 15 of /proc/PID/stat, in clock ticks of 10 ms), its resident pages (field 24, 4 KiB each) and its name.
 */
function statOf(path: number | string): { ppid: number; cpuMs: number; rssBytes: number; name: string } | null {
  try {
    const stat = readFileSync(`/proc/${path}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * 10, rssBytes: Number(fields[21]) * 4096, name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) };
  } catch {
    return null;
  }
}

/** CPU ms of the processes descending from `root` (not `root` itself), leaving out the subtrees of `skip`. */
export function descendantsCpuMs(root: number, skip: readonly number[] = []): number | null {
  return descendants(root, skip)?.cpuMs ?? null;
}

/** Resident bytes of the same processes, summed (pages they share count once in each). */
export function descendantsRssBytes(root: number, skip: readonly number[] = []): number | null {
  return descendants(root, skip)?.rssBytes ?? null;
}

/**
 * CPU ms of the same processes' threads, summed by thread name (Chromium names them: a Web
 * Worker runs on "DedicatedWorker thread", V8's background GC and compile tasks on the
 * renderer's "ThreadPoolForegroundWorker"s; Linux keeps 15 characters of a name).
 */
export function descendantsCpuByThread(root: number, skip: readonly number[] = []): Map<string, number> | null {
  const pids = descendants(root, skip)?.pids;
  if (!pids) return null;
  const byName = new Map<string, number>();
  for (const pid of pids) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // the process has gone
    }
    const kind = /--type=([a-z-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
    for (const tid of tids) {
      const stat = statOf(`${pid}/task/${tid}`);
      if (stat) byName.set(`${kind}: ${stat.name}`, (byName.get(`${kind}: ${stat.name}`) ?? 0) + stat.cpuMs);
    }
  }
  return byName;
}

function descendants(root: number, skip: readonly number[]): { cpuMs: number; rssBytes: number; pids: number[] } | null {
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
  const total = { cpuMs: 0, rssBytes: 0, pids: [] as number[] };
  for (const [pid, stat] of stats) {
    if (!stat || !under(pid)) continue;
    total.cpuMs += stat.cpuMs;
    total.rssBytes += stat.rssBytes;
    total.pids.push(pid);
  }
  return total;
}
