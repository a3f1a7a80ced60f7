/**
 * A console's input line longer than the terminal wraps; each redraw must go back to the
 * input's first row, or every key typed prints the whole line again (noticed by the walk at
 * 1280×720: `esxcli network ip dns server add --server=1…` twelve times over). Played on a
 * small model of a terminal screen that follows the codes redrawInput writes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redrawInput } from '../../src/lib/console/line-editor';

/** Enough of a VT100 for the codes used: text with autowrap (pending wrap at the last column), CR, CUU, CUF, ED 0. */
class Screen {
  rows: string[][] = [[]];
  r = 0;
  c = 0;
  private pendingWrap = false;
  constructor(readonly cols: number) {}
  write(codes: string): void {
    for (let i = 0; i < codes.length; i++) {
      const ch = codes[i];
      if (ch === '\r') {
        this.c = 0;
        this.pendingWrap = false;
      } else if (ch === '\x1b') {
        const m = /^\[(\d*)([A-Z])/.exec(codes.slice(i + 1));
        if (!m) throw new Error('unknown escape');
        const n = Number(m[1] || 1);
        if (m[2] === 'A') this.r = Math.max(0, this.r - n);
        else if (m[2] === 'C') this.c = Math.min(this.cols - 1, this.c + n);
        else if (m[2] === 'J') {
          this.rows[this.r] = this.rows[this.r].slice(0, this.c);
          this.rows.length = this.r + 1;
        } else throw new Error(`unknown ${m[2]}`);
        this.pendingWrap = false;
        i += m[0].length;
      } else {
        if (this.pendingWrap) {
          this.r++;
          this.c = 0;
          this.pendingWrap = false;
        }
        while (this.rows.length <= this.r) this.rows.push([]);
        this.rows[this.r][this.c] = ch;
        if (this.c === this.cols - 1) this.pendingWrap = true;
        else this.c++;
      }
    }
  }
  text(): string {
    return this.rows.map((r) => r.join('')).join('');
  }
}

describe('console input redraw', () => {
  it('typing a line three terminals wide shows it once, cursor at its end', () => {
    const screen = new Screen(20);
    const prompt = '[root@esxcomp-02a:~] ';
    const cmd = 'esxcli network ip dns server add --server=192.168.110.10';
    let row = 0;
    for (let n = 0; n <= cmd.length; n++) {
      const r = redrawInput(prompt, cmd.slice(0, n), n, 20, row);
      row = r.row;
      screen.write(r.codes);
    }
    expect(screen.text()).toBe(prompt + cmd);
  });

  it('property: any edits at any cursor leave the prompt and line once on screen, the cursor where the editor has it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 30 }), fc.array(fc.tuple(fc.string({ minLength: 0, maxLength: 70 }).map((s) => s.replace(/[^ -~]/g, 'x')), fc.nat()), { minLength: 1, maxLength: 8 }), (cols, lines) => {
        const screen = new Screen(cols);
        const prompt = '$ ';
        let row = 0;
        for (const [line, c] of lines) {
          const cursor = c % (line.length + 1);
          const r = redrawInput(prompt, line, cursor, cols, row);
          row = r.row;
          screen.write(r.codes);
          expect(screen.text()).toBe(prompt + line);
          const at = prompt.length + cursor;
          const endAt = prompt.length + line.length;
          // At the very end of a full row the cursor waits at its last column (pending wrap).
          if (at === endAt && at > 0 && at % cols === 0) expect([screen.r, screen.c]).toEqual([at / cols - 1, cols - 1]);
          else expect([screen.r, screen.c]).toEqual([Math.floor(at / cols), at % cols]);
        }
      }),
    );
  });
});
