/**
 * /var/log/vsfwd.log. No verbatim vsfwd.log lines are public for NSX-V 6.4; these follow the
 * shape of the lines quoted in NSX-V 6.1 blog posts (time, process, [LEVEL], text) and are
 * illustrative, which the shell says when it prints the file.
 */
export const VSFWD_LOG = '/var/log/vsfwd.log';
export const VSFWD_LOG_NOTE = '# illustrative lines: the layout follows NSX-V 6.1 examples; real wording differs by release';
const KEEP_LINES = 1000;

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export function logLine(now: number, level: LogLevel, text: string): string {
  return `${new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z')} vsfwd: [${level}] ${text}`;
}

export function appendLog(lines: string[], line: string): void {
  lines.push(line);
  if (lines.length > KEEP_LINES) lines.splice(0, lines.length - KEEP_LINES);
}
