import { describe, expect, it } from 'vitest';
import { NsxManager } from '../../workers/manager/manager';
import { api, FW, newManager, TestContext } from './fixtures';

function script(manager: NsxManager) {
  const a = api(manager);
  const tag = a.post(`${FW}/config/layer3sections`, '<section name="S"/>').headers.ETag!;
  a.post(`${FW}/config/layer3sections/1005/rules`, '<rule><name>r</name><action>deny</action><destinations><destination><value>securitygroup-12</value><type>SecurityGroup</type></destination></destinations></rule>', { 'If-Match': tag });
  a.put('/api/2.1/app/excludelist/vm-11');
  a.post('/api/2.0/services/ipset/globalroot-0', '<ipset><name>i</name><value>10.0.0.0/8</value></ipset>');
  return manager.publish();
}

describe('snapshots and determinism', () => {
  it('a snapshot restores to an identical manager that behaves the same', () => {
    const { manager, ctx } = newManager();
    script(manager);
    const snap = JSON.parse(JSON.stringify(manager.snapshot()));
    const copy = new NsxManager(snap, Object.assign(new TestContext(), { t: ctx.t }));
    expect(copy.snapshot()).toEqual(manager.snapshot());
    expect(copy.hostRuleSets()).toEqual(manager.hostRuleSets());
    expect(copy.rest({ method: 'GET', path: `${FW}/config` })).toEqual(manager.rest({ method: 'GET', path: `${FW}/config` }));
    const a = api(manager).post(`${FW}/config/layer3sections`, '<section name="T"/>');
    const b = api(copy).post(`${FW}/config/layer3sections`, '<section name="T"/>');
    expect(b).toEqual(a);
  });

  it('the same actions give the same events and the same rule sets', () => {
    const one = newManager();
    const two = newManager();
    expect(script(two.manager)).toEqual(script(one.manager));
    expect(two.ctx.events).toEqual(one.ctx.events);
  });

  it('generation numbers are the publish time in epoch ms and strictly increase within one ms', () => {
    const { manager, ctx } = newManager();
    const g1 = manager.publish().generation;
    const g2 = manager.publish().generation;
    expect(g2).toBe(g1 + 1);
    ctx.advance(10_000);
    expect(manager.publish().generation).toBe(ctx.t);
  });
});
