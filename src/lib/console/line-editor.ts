/**
 * A console's input line: typing, cursor, history (↑/↓) and tab completion against the
 * commands the lab knows. Pure logic; the xterm component turns its effects into escape codes.
 */
interface Completion {
  /** The line after completing. */
  line: string;
  /** Candidates to list when there is more than one. */
  options: string[];
}

/** Completes `line` against full command strings (`esxcli network vm list`). */
export function complete(line: string, commands: string[]): Completion {
  const matches = commands.filter((c) => c.startsWith(line) && c !== line);
  if (matches.length === 0) return { line, options: [] };
  if (matches.length === 1) return { line: matches[0] + ' ', options: [] };
  // Extend to the longest common prefix, then let the user choose.
  let prefix = matches[0];
  for (const m of matches) while (!m.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return { line: prefix.length > line.length ? prefix : line, options: prefix.length > line.length ? [] : matches };
}

/** "commands: a, b, c" as both shells print for `help`. */
export function commandsFromHelp(text: string): string[] {
  const m = /commands:\s*(.*)/.exec(text);
  return m ? m[1].split(',').map((s) => s.trim()).filter(Boolean) : [];
}

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
// eslint-disable-next-line no-control-regex -- as above, but a terminal needs tab, line feed and carriage return
const OUTPUT_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Typed or pasted text without C0/C1 controls or DEL: an ESC or CSI must not reach the terminal as a sequence. */
export function typedText(text: string): string {
  return text.replace(CONTROLS, '');
}

/** Command output made safe to write to the terminal: only tab, line feed and carriage return survive. */
export function terminalText(text: string): string {
  return text.replace(OUTPUT_CONTROLS, '');
}

export class LineEditor {
  line = '';
  cursor = 0;
  private history: string[] = [];
  private at = 0;
  private draft = '';

  insert(raw: string): void {
    const text = typedText(raw);
    this.line = this.line.slice(0, this.cursor) + text + this.line.slice(this.cursor);
    this.cursor += text.length;
  }

  backspace(): boolean {
    if (this.cursor === 0) return false;
    this.line = this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor);
    this.cursor--;
    return true;
  }

  left(): boolean {
    if (this.cursor === 0) return false;
    this.cursor--;
    return true;
  }

  right(): boolean {
    if (this.cursor >= this.line.length) return false;
    this.cursor++;
    return true;
  }

  /** Takes the line for running and remembers it. */
  submit(): string {
    const cmd = this.line;
    if (cmd.trim() && this.history.at(-1) !== cmd) this.history.push(cmd);
    this.at = this.history.length;
    this.line = '';
    this.cursor = 0;
    this.draft = '';
    return cmd;
  }

  up(): boolean {
    if (this.at === 0) return false;
    if (this.at === this.history.length) this.draft = this.line;
    this.at--;
    this.set(this.history[this.at]);
    return true;
  }

  down(): boolean {
    if (this.at >= this.history.length) return false;
    this.at++;
    this.set(this.at === this.history.length ? this.draft : this.history[this.at]);
    return true;
  }

  set(raw: string): void {
    const line = typedText(raw);
    this.line = line;
    this.cursor = line.length;
  }

  get entries(): readonly string[] {
    return this.history;
  }
}

/**
 * The escape codes that redraw the input (prompt and line) with the cursor at `cursor`, in a
 * terminal `cols` wide, when the cursor now sits `row` rows below the input's first row. A
 * line longer than the terminal wraps: `\r` alone only reaches the start of the last row, so
 * each key typed printed the whole line again below the old one. Returns the cursor's row after.
 */
export function redrawInput(prompt: string, line: string, cursor: number, cols: number, row: number): { codes: string; row: number } {
  const width = Math.max(1, cols);
  const end = prompt.length + line.length;
  const at = prompt.length + cursor;
  // Writing the last column leaves the cursor there (wrap pending), not on the next row.
  const endRow = end > 0 && end % width === 0 ? end / width - 1 : Math.floor(end / width);
  const atRow = Math.min(Math.floor(at / width), endRow);
  const atCol = at - atRow * width;
  let codes = `${row > 0 ? `\x1b[${row}A` : ''}\r\x1b[J${prompt}${line}`;
  if (atRow !== endRow || at !== end) codes += `\r${endRow > atRow ? `\x1b[${endRow - atRow}A` : ''}${atCol > 0 ? `\x1b[${atCol}C` : ''}`;
  return { codes, row: atRow };
}
