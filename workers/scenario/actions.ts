/** Plays one scenario action on a lab. Each op is exactly one LabApi call; a failure says why. */
import type { LabApi, ProbeResult } from '../lab/lab-api';
import type { Results } from './results';
import type { Action } from './schema';
import { expandFields, TemplateError } from './template';

type ActionOutcome = { ok: true; detail: string } | { ok: false; message: string };

function verdictText(r: ProbeResult): string {
  return `${r.verdict}${r.by !== 'no-filter' ? ` by ${r.by}` : ''}${r.ruleId !== undefined ? ` ${r.ruleId}` : ''}: ${r.detail}`;
}

export async function runAction(api: LabApi, raw: Action, results: Results): Promise<ActionOutcome> {
  let a: Action;
  try {
    a = expandFields(raw, results);
  } catch (err) {
    if (err instanceof TemplateError) return { ok: false, message: err.message };
    throw err;
  }
  try {
    switch (a.op) {
      case 'api': {
        const response = await api.rest({ method: a.method, path: a.path, headers: a.headers, body: a.body });
        if (a.as) results.set(a.as, { kind: 'api', request: { method: a.method, path: a.path }, response });
        return { ok: true, detail: `${response.status}` };
      }
      case 'guest':
      case 'host': {
        const text = a.op === 'guest' ? await api.guest(a.vm, a.cmd) : await api.host(a.host, a.cmd);
        if (a.as) results.set(a.as, { kind: 'text', source: a.op === 'guest' ? a.vm : a.host, text });
        return { ok: true, detail: text.split('\n')[0] ?? '' };
      }
      case 'vmotion':
        await api.vmotion(a.vm, a.to);
        return { ok: true, detail: `${a.vm} runs on ${a.to}` };
      case 'power':
        await api.power(a.vm, a.state);
        return { ok: true, detail: `${a.vm} powered ${a.state}` };
      case 'vsfwd':
        await api.vsfwd(a.host, a.do);
        return { ok: true, detail: `vsfwd ${a.do} on ${a.host}` };
      case 'manager':
        await api.manager(a.state);
        return { ok: true, detail: `NSX Manager ${a.state}` };
      case 'bus':
        await api.bus(a.host, a.state);
        return { ok: true, detail: `bus ${a.state} for ${a.host}` };
      case 'wait':
        await api.wait(a.seconds);
        return { ok: true, detail: `clock advanced ${a.seconds} s` };
      case 'traffic': {
        const r = await api.probe({ from: a.from, to: a.to, proto: a.proto, port: a.port, flags: a.flags });
        if (a.as) results.set(a.as, { kind: 'traffic', verdict: r.verdict, by: r.by, ruleId: r.ruleId, detail: r.detail });
        return { ok: true, detail: verdictText(r) };
      }
      case 'session': {
        const r = await api.session({ name: a.name, do: a.do, from: a.from, to: a.to, proto: a.proto, port: a.port });
        return { ok: true, detail: verdictText(r) };
      }
      case 'publish': {
        const r = await api.publish();
        return { ok: true, detail: `published generation ${r.generation}` };
      }
    }
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
