/**
 * The ESXi shell's pipes and file readers as the seed's recipes use them: `| grep [-i] [-v] [-c]
 * [-A N] [-B N] [-C N] TEXT`, `| more`, `| less`, `| head [-n N]`, `| tail [-n N]`, `| wc -l`;
 * `more FILE`, `less FILE`, `tail -N FILE` and `tail -f FILE` read a file as `cat`/`tail -n` do
 * (the lab prints what the file holds now; following it live is the console's job).
 */

/** A pipe stage, or null when the text after `|` is not one (then the line is not a pipeline). */
export type Stage = (text: string) => string;

const lines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

export function parseStage(stage: string): Stage | null {
  const words = stage.trim().split(/\s+/);
  const cmd = words.shift();
  if (cmd === 'more' || cmd === 'less' || cmd === 'cat') return words.length ? null : (t) => t;
  if (cmd === 'wc') return words.join(' ') === '-l' ? (t) => String(lines(t).length) : null;
  if (cmd === 'head' || cmd === 'tail') {
    const n = countOption(words);
    if (n === null) return null;
    return (t) => {
      const all = lines(t);
      return (cmd === 'head' ? all.slice(0, n) : all.slice(Math.max(0, all.length - n))).join('\n');
    };
  }
  if (cmd === 'grep') return grepStage(words);
  return null;
}

function countOption(words: string[]): number | null {
  if (words.length === 0) return 10;
  if (words.length === 1 && /^-\d+$/.test(words[0]!)) return Number(words[0]!.slice(1));
  if (words.length === 2 && words[0] === '-n' && /^\d+$/.test(words[1]!)) return Number(words[1]);
  return null;
}

function grepStage(words: string[]): Stage | null {
  let insensitive = false;
  let invert = false;
  let count = false;
  let after = 0;
  let before = 0;
  // GNU grep takes its options before or after the pattern (`grep web-sv-01a -A 3`, as seed 000 types it).
  const rest: string[] = [];
  while (words.length) {
    const w = words.shift()!;
    if (w === '--') {
      rest.push(...words.splice(0));
      break;
    }
    if (!w.startsWith('-') || w === '-') {
      rest.push(w);
      continue;
    }
    const ctx = /^-([ABC])(\d*)$/.exec(w);
    if (ctx) {
      const n = Number(ctx[2] || words.shift());
      if (!Number.isInteger(n)) return null;
      if (ctx[1] !== 'B') after = n;
      if (ctx[1] !== 'A') before = n;
      continue;
    }
    for (const flag of w.slice(1)) {
      if (flag === 'i') insensitive = true;
      else if (flag === 'v') invert = true;
      else if (flag === 'c') count = true;
      else if (flag !== 'E') return null;
    }
  }
  if (rest.length === 0) return null;
  const needle = rest.join(' ').replace(/^(["'])(.*)\1$/, '$2');
  const test = matcher(needle, insensitive);
  return (text) => {
    const all = lines(text);
    const hit = all.map((l) => test(l) !== invert);
    if (count) return String(hit.filter(Boolean).length);
    const keep = new Set<number>();
    hit.forEach((h, i) => {
      if (!h) return;
      for (let j = Math.max(0, i - before); j <= Math.min(all.length - 1, i + after); j++) keep.add(j);
    });
    const out: string[] = [];
    let last = -1;
    for (const i of [...keep].sort((a, b) => a - b)) {
      // GNU grep separates non-adjacent context groups with `--`.
      if ((after || before) && last >= 0 && i > last + 1) out.push('--');
      out.push(all[i]!);
      last = i;
    }
    return out.join('\n');
  };
}

/** grep's pattern: a regular expression when it is one, else the literal text. */
function matcher(needle: string, insensitive: boolean): (line: string) => boolean {
  try {
    const re = new RegExp(needle, insensitive ? 'i' : '');
    return (l) => re.test(l);
  } catch {
    const n = insensitive ? needle.toLowerCase() : needle;
    return (l) => (insensitive ? l.toLowerCase() : l).includes(n);
  }
}

/** `more F`, `less F` → `cat F`; `tail -f F`, `tail -N F`, `tail -n N F`, `head [-n N] F` → the forms the file readers know. */
export function normalizeFileCommand(cmd: string): { cmd: string; then?: Stage } {
  const m = /^(more|less) (\S+)$/.exec(cmd);
  if (m) return { cmd: `cat ${m[2]}` };
  const tail = /^tail (?:-f |-F )?(?:-n (\d+) |-(\d+) )?(?:-f |-F )?(\/\S+)$/.exec(cmd);
  if (tail) return { cmd: `tail -n ${tail[1] ?? tail[2] ?? 10} ${tail[3]}` };
  const head = /^head (?:-n (\d+) |-(\d+) )?(\/\S+)$/.exec(cmd);
  if (head) return { cmd: `cat ${head[3]}`, then: parseStage(`head -n ${head[1] ?? head[2] ?? 10}`)! };
  return { cmd };
}
