/**
 * Who is logged on at a VM's console: `login USER`, `logout`, `whoami`. The Guest Introspection
 * thin agent (part of VMware Tools) reports each logon and logoff to NSX Manager, which learns
 * it after GI_REPORT_DELAY_MS on the lab clock; with Tools stopped nothing is reported.
 */
import type { GuestState } from './guest-state';

/** How long a logon takes to reach NSX Manager through Guest Introspection (the lab's own figure). */
export const GI_REPORT_DELAY_MS = 5_000;

const USER = /^(?:[A-Za-z][\w.-]{0,14}\\)?([A-Za-z][A-Za-z0-9._-]{0,31})(?:@[\w.-]+)?$/;

interface LogonIO {
  emit(text: string): void;
  /** Guest Introspection's report to NSX Manager. */
  report(event: 'logon' | 'logoff', user: string): void;
}

/** Runs a logon command; null when the line is not one. */
export function runLogonCommand(s: GuestState, cmd: string, io: LogonIO): string | null {
  const login = /^(?:login|su -|runas \/user:)\s*(\S+)$/.exec(cmd);
  if (login) {
    const m = USER.exec(login[1]);
    if (!m) return `login: ${login[1]}: not a user name`;
    const user = m[1].toLowerCase();
    if (s.user === user) return `${user} is already logged on to ${s.name}`;
    const lines: string[] = [];
    if (s.user) lines.push(logoff(s, io));
    s.user = user;
    io.emit(`${s.name}: An account was successfully logged on (event 4624): CORP\\${user}, logon type 2 (interactive)`);
    if (s.toolsRunning) io.report('logon', user);
    lines.push(`${user} logged on to ${s.name} (CORP\\${user})${s.toolsRunning ? '' : ' — VMware Tools is stopped: Guest Introspection cannot report it'}`);
    return lines.join('\n');
  }
  if (cmd === 'logout' || cmd === 'exit' || cmd === 'logoff') return s.user ? logoff(s, io) : 'logout: nobody is logged on';
  if (cmd === 'whoami') return s.user ?? 'root';
  if (cmd === 'who') return s.user ? `${s.user.padEnd(9)}tty1` : '';
  return null;
}

function logoff(s: GuestState, io: LogonIO): string {
  const user = s.user!;
  s.user = undefined;
  io.emit(`${s.name}: An account was logged off (event 4634): CORP\\${user}`);
  if (s.toolsRunning) io.report('logoff', user);
  return `${user} logged off from ${s.name}`;
}
