import { describe, expect, it, vi } from 'vitest';
import { componentParts } from '../../workers/lab/lab-parts';
import type { StoredComponentDoc } from '../../workers/lab/lab-format';
import type { Component, ComponentDoc, ComponentType } from '../../workers/lab/component';
import { Rng } from '../../workers/lab/rng';
import { type ComponentLoader, ExecutionUnit } from '../../workers/lab/unit';
import { componentLoaders } from '../../workers/registry';
import { buildLab } from '../../workers/lab/presets/build-lab';

/** Loaders that record which component types an execution unit asked for. */
function recordingLoaders(): { loaders: Record<string, ComponentLoader>; asked: string[]; built: string[] } {
  const asked: string[] = [];
  const built: string[] = [];
  const loaders: Record<string, ComponentLoader> = {};
  for (const type of ['vcenter', 'manager', 'fabric', 'host', 'bus']) {
    loaders[type] = async () => {
      asked.push(type);
      return (id): Component => {
        built.push(id);
        return { id, handle: () => {}, snapshot: () => ({ type }) };
      };
    };
  }
  return { loaders, asked, built };
}

const doc = (type: ComponentType): ComponentDoc => ({ type, state: {}, rng: Rng.derive(1, type).state() });

describe('execution unit loading', () => {
  it('loads the code of its own component types only, each once, and builds components in document order', async () => {
    const { loaders, asked, built } = recordingLoaders();
    const unit = new ExecutionUnit(loaders);
    await unit.load({ manager: doc('manager'), vcenter: doc('vcenter'), 'manager-2': doc('manager') });
    expect(asked.sort()).toEqual(['manager', 'vcenter']);
    expect(built).toEqual(['manager', 'vcenter', 'manager-2']);
    expect(Object.keys(unit.snapshot())).toEqual(['manager', 'vcenter', 'manager-2']);
  });

  it('refuses a component of an unknown type before loading any code', async () => {
    const { loaders, asked } = recordingLoaders();
    const unit = new ExecutionUnit(loaders);
    const docs = { 'host-10': doc('host'), strange: { ...doc('host'), type: 'router' as ComponentType } };
    await expect(unit.load(docs)).rejects.toThrow("no component type 'router' for strange");
    expect(asked).toEqual([]);
  });

  it('a stored component is checked against its schema only when a part no longer has the hash stored with it', async () => {
    const lab = buildLab();
    const stored = (id: string): StoredComponentDoc => {
      const parts = componentParts(id, lab.components[id]);
      return { type: lab.components[id].type, stored: Object.fromEntries(parts.map((p) => [p.key, p.json!])), hashes: Object.fromEntries(parts.map((p) => [p.key, p.hash])) };
    };
    const checked = vi.fn();
    const loaders: Record<string, ComponentLoader> = {
      vcenter: async () => {
        const factory = await componentLoaders.vcenter();
        return Object.assign((id: string, state: unknown) => factory(id, state), {
          loadCheck: async () => {
            const check = await factory.loadCheck!();
            return (doc: unknown) => (checked(), check(doc));
          },
        });
      },
    };
    // As the lab stored it: joined and trusted, not checked again.
    const trusted = new ExecutionUnit(loaders);
    await trusted.load({ vcenter: stored('vcenter') });
    expect(checked).not.toHaveBeenCalled();
    expect(trusted.snapshot().vcenter).toEqual(lab.components.vcenter);
    // Changed outside the lab (its hash no longer matches): checked, and refused with its path.
    const edited = stored('vcenter');
    edited.stored['component/vcenter'] = edited.stored['component/vcenter'].replace('"rng":[', '"rng":["x",');
    await expect(new ExecutionUnit(loaders).load({ vcenter: edited })).rejects.toMatchObject({ name: 'StoredComponentError', path: '$.components.vcenter.rng[0]' });
    expect(checked).toHaveBeenCalledTimes(1);
    // Without the stored hashes (nothing to trust): checked.
    await new ExecutionUnit(loaders).load({ vcenter: { ...stored('vcenter'), hashes: undefined } });
    expect(checked).toHaveBeenCalledTimes(2);
  });

  it('the first save after opening a stored lab serialises only the components a message reached since', async () => {
    const lab = buildLab();
    const ids = ['host-10', 'host-20', 'host-21'];
    const snapshots: string[] = [];
    const factory = await componentLoaders.host();
    const loaders: Record<string, ComponentLoader> = {
      host: async () => Object.assign((id: string, state: unknown) => {
        const host = factory(id, state);
        const snapshot = host.snapshot.bind(host);
        return Object.assign(host, { snapshot: () => (snapshots.push(id), snapshot()) });
      }, { loadCheck: factory.loadCheck }),
    };
    const stored = (id: string): StoredComponentDoc => {
      const parts = componentParts(id, lab.components[id]);
      return { type: 'host', stored: Object.fromEntries(parts.map((p) => [p.key, p.json!])), hashes: Object.fromEntries(parts.map((p) => [p.key, p.hash])) };
    };
    const unit = new ExecutionUnit(loaders);
    await unit.load(Object.fromEntries(ids.map((id) => [id, stored(id)])));
    unit.deliver([{ to: 'host-20', from: 'lab', kind: 'vsfwd-boot', body: {} }], lab.clock);
    const changes = unit.changedParts()!;
    expect(snapshots).toEqual(['host-20']);
    expect(changes.put.every((p) => p.key.startsWith('component/host-20'))).toBe(true);
    // The untouched hosts' stored parts are kept, not dropped.
    for (const id of ['host-10', 'host-21']) for (const key of Object.keys(stored(id).stored)) expect(changes.drop).not.toContain(key);
    // Changed outside the lab (not trusted as stored): serialised on the first save, as before.
    const edited = stored('host-21');
    edited.hashes!['component/host-21'] += 1;
    snapshots.length = 0;
    const other = new ExecutionUnit(loaders);
    await other.load({ 'host-10': stored('host-10'), 'host-21': edited });
    other.changedParts();
    expect(snapshots).toEqual(['host-21']);
  });

  it('a save serialises its components as takeChanges() copied them: a message handled before changedParts() goes into the next save', async () => {
    const lab = buildLab();
    const stored = (id: string): StoredComponentDoc => {
      const parts = componentParts(id, lab.components[id]);
      return { type: 'host', stored: Object.fromEntries(parts.map((p) => [p.key, p.json!])), hashes: Object.fromEntries(parts.map((p) => [p.key, p.hash])) };
    };
    const unit = new ExecutionUnit(componentLoaders);
    await unit.load({ 'host-10': stored('host-10'), 'host-20': stored('host-20') });
    const shell = (cmd: string) => unit.deliver([{ to: 'host-20', from: 'lab', kind: 'guest-shell', body: { vm: 'vm-36', cmd }, requestId: 1 }], lab.clock);
    shell('ip addr replace 172.16.10.98/24 dev eth0');
    expect(unit.takeChanges()).toBe(true);
    const taken = unit.snapshot()['host-20'];
    // Handled while the save serialises (the lab no longer holds still for it).
    shell('ip addr replace 172.16.10.99/24 dev eth0');
    const later = unit.snapshot()['host-20'];
    expect(JSON.stringify(later), 'the second command changed the host').not.toBe(JSON.stringify(taken));
    const putOf = (doc: ComponentDoc, known: Map<string, number>) => componentParts('host-20', doc, known).filter((p) => p.json !== undefined).map((p) => `${p.key} ${p.hash}`).sort();
    const keysOf = (c: { put: { key: string; hash: number }[] }) => c.put.map((p) => `${p.key} ${p.hash}`).sort();
    const known = new Map(Object.entries(stored('host-20').hashes!));
    const first = unit.changedParts()!;
    expect(keysOf(first)).toEqual(putOf(taken, known));
    unit.partsStored();
    const second = unit.changedParts()!;
    for (const p of first.put) known.set(p.key, p.hash);
    expect(keysOf(second), 'the later state is saved next').toEqual(putOf(later, known));
    expect(second.put.length).toBeGreaterThan(0);
  });

  it('told that the store holds the documents it loaded (a first visit), the first save serialises only the components a message reached', async () => {
    const lab = buildLab();
    const ids = ['host-10', 'host-20', 'host-21'];
    const snapshots: string[] = [];
    const factory = await componentLoaders.host();
    const loaders: Record<string, ComponentLoader> = {
      host: async () => (id: string, state: unknown) => {
        const host = factory(id, state);
        const snapshot = host.snapshot.bind(host);
        return Object.assign(host, { snapshot: () => (snapshots.push(id), snapshot()) });
      },
    };
    const parts = ids.flatMap((id) => componentParts(id, lab.components[id]));
    const unit = new ExecutionUnit(loaders);
    await unit.load(Object.fromEntries(ids.map((id) => [id, lab.components[id]])));
    unit.deliver([{ to: 'host-21', from: 'lab', kind: 'vsfwd-boot', body: {} }], lab.clock);
    unit.storedAsLoaded(parts.map(({ key, hash, size }) => ({ key, hash, size })));
    const changes = unit.changedParts()!;
    expect(snapshots).toEqual(['host-21']);
    expect(changes.put.every((p) => p.key.startsWith('component/host-21'))).toBe(true);
    expect(changes.drop).toEqual([]);
    // Once a save has run, the unit knows what the store holds: a late word about the documents changes nothing.
    unit.partsStored();
    unit.storedAsLoaded([]);
    snapshots.length = 0;
    expect(unit.changedParts()!.drop).toEqual([]);
    expect(snapshots).toEqual([]);
  });

  it('the registry builds every component of the classroom lab, hosts with the NSX data path', async () => {
    const lab = buildLab();
    const unit = new ExecutionUnit(componentLoaders);
    await unit.load(lab.components);
    const snapshot = unit.snapshot();
    expect(Object.keys(snapshot)).toEqual(Object.keys(lab.components));
    // The registry gave the hosts the NSX data path (kernel-setup.ts): its snapshot is the kernel's.
    const kernel = (snapshot['host-20'].state as { kernel?: unknown }).kernel;
    expect(kernel).toBeTruthy();
  });
});
