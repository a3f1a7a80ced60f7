/** The host shell's pipe stages and file-reader forms (issue 14 item 6). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeFileCommand, parseStage } from '../../workers/host/shell-pipes';

const text = ['alpha', 'beta', 'Gamma', 'delta', 'epsilon', 'zeta', 'eta'].join('\n');
const run = (stage: string, input = text) => parseStage(stage)!(input);

describe('pipe stages', () => {
  it('grep with -i, -v, -c and context -A/-B/-C, groups separated by --', () => {
    expect(run('grep gamma')).toBe('');
    expect(run('grep -i gamma')).toBe('Gamma');
    expect(run('grep -v a')).toBe('epsilon');
    expect(run('grep -c eta')).toBe('3');
    expect(run('grep -A 1 beta')).toBe('beta\nGamma');
    expect(run('grep -B 2 delta')).toBe('beta\nGamma\ndelta');
    expect(run('grep -A1 alpha')).toBe('alpha\nbeta');
    expect(run('grep -A 1 "^[ad]"')).toBe('alpha\nbeta\n--\ndelta\nepsilon');
    // Options after the pattern, as seed 000 types `grep web-sv-01a -A 3`; `--` ends the options.
    expect(run('grep beta -A 1')).toBe('beta\nGamma');
    expect(run('grep -- -x', 'a\n-x')).toBe('-x');
  });

  it('more, head, tail and wc -l', () => {
    expect(run('more')).toBe(text);
    expect(run('head -n 2')).toBe('alpha\nbeta');
    expect(run('tail -2')).toBe('zeta\neta');
    expect(run('wc -l')).toBe('7');
    expect(run('wc -l', '')).toBe('0');
  });

  it('something that is not a stage makes the line no pipeline', () => {
    for (const s of ['getrules -f x', 'grep', 'head -n x', 'wc', 'sort']) expect(parseStage(s)).toBeNull();
  });

  it('head -n N and tail -n N keep N lines in order, and grep -v splits the lines with grep', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-c]{1,3}$/), { maxLength: 30 }), fc.nat(40), (ls, n) => {
        const t = ls.join('\n');
        const all = t === '' ? [] : t.split('\n');
        expect(run(`head -n ${n}`, t)).toBe(all.slice(0, n).join('\n'));
        expect(run(`tail -n ${n}`, t)).toBe(all.slice(Math.max(0, all.length - n)).join('\n'));
        expect(Number(run('grep -c a', t)) + Number(run('grep -vc a', t))).toBe(all.length);
      }),
    );
  });
});

describe('file readers', () => {
  it('more, less, tail -f, tail -N and head map to what the file readers know', () => {
    expect(normalizeFileCommand('more /var/log/dfwpktlogs.log').cmd).toBe('cat /var/log/dfwpktlogs.log');
    expect(normalizeFileCommand('tail -f /var/log/dfwpktlogs.log').cmd).toBe('tail -n 10 /var/log/dfwpktlogs.log');
    expect(normalizeFileCommand('tail -20 /var/log/vsfwd.log').cmd).toBe('tail -n 20 /var/log/vsfwd.log');
    const head = normalizeFileCommand('head -n 2 /var/log/vsfwd.log');
    expect([head.cmd, head.then!('a\nb\nc')]).toEqual(['cat /var/log/vsfwd.log', 'a\nb']);
    expect(normalizeFileCommand('vsipioctl getfilters').cmd).toBe('vsipioctl getfilters');
  });
});
