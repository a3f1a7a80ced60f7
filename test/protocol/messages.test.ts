/**
 * The typed seams: what a component accepts and answers is checked by the compiler (each
 * `@ts-expect-error` below fails `npm run check` when the error it marks stops being one), and
 * the helpers behind it behave at run time.
 */
import { describe, expect, it } from 'vitest';
import { replier, unknownMessage, type MessageOf } from '../../workers/protocol/messages/envelope';
import type { ManagerMessages } from '../../workers/protocol/messages/manager';
import type { VCenterMessages } from '../../workers/protocol/messages/vcenter';
import type { ComponentContext } from '../../workers/lab/component';
import { MANAGER } from '../../workers/protocol/messages/manager';
import { VCENTER } from '../../workers/protocol/messages/vcenter';
import { VCenter } from '../../workers/vcenter/vcenter';

function answers(): { ctx: { reply(v: unknown): void }; got: unknown[] } {
  const got: unknown[] = [];
  return { ctx: { reply: (v) => got.push(v) }, got };
}

describe('typed messages', () => {
  it('replies with the type the kind declares, and nothing else compiles', () => {
    const { ctx, got } = answers();
    const reply = replier<ManagerMessages>(ctx);
    const msg = { to: 'manager', from: 'lab', kind: 'publish', body: {} } as MessageOf<ManagerMessages>;
    if (msg.kind === 'publish') {
      reply(msg, { generation: 3 });
      // @ts-expect-error a publish is answered with its generation, not a REST response
      reply(msg, { status: 200, headers: {}, body: '' });
    }
    expect(got).toEqual([{ generation: 3 }, { status: 200, headers: {}, body: '' }]);
  });

  it('sends only what the addressed component accepts', () => {
    const sent: [string, string, unknown][] = [];
    const ctx = { send: (to: string, kind: string, body: unknown) => sent.push([to, kind, body]) } as unknown as ComponentContext;
    ctx.send(VCENTER, 'vmotion-done', { vm: 'vm-1', host: 'host-2' });
    // @ts-expect-error vCenter has no 'publish'
    ctx.send(VCENTER, 'publish', {});
    // @ts-expect-error a login names who, how and whether it succeeded
    ctx.send(MANAGER, 'login', { user: 'admin' });
    expect(sent.map(([to, kind]) => `${to} ${kind}`)).toEqual(['vcenter vmotion-done', 'vcenter publish', 'manager login']);
  });

  it('a switch that leaves a kind out does not compile, and an unknown kind at run time is refused by name', () => {
    const describeKind = (m: MessageOf<VCenterMessages>): string => {
      switch (m.kind) {
        case 'inventory':
          return 'read';
        default:
          // @ts-expect-error every other vCenter message is still possible here
          return unknownMessage('vcenter', m);
      }
    };
    expect(() => describeKind({ to: 'vcenter', from: 'lab', kind: 'vmotion', body: { vm: 'a', to: 'b' } })).toThrow("vcenter: unknown message 'vmotion'");
    const vc = new VCenter('vcenter', { inventory: { datacenter: { moid: 'datacenter-2', name: 'dc' }, vds: { moid: 'dvs-1', name: 'vds' }, clusters: [], hosts: [], networks: [], vms: [] }, subscribers: [] });
    const { ctx } = answers();
    expect(() => vc.handle({ to: 'vcenter', from: 'lab', kind: 'no-such-kind', body: {} }, ctx as unknown as ComponentContext)).toThrow("vcenter: unknown message 'no-such-kind'");
  });
});
