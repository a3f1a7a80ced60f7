/**
 * Every component type a lab can hold, by the type name lab documents use. Each type's code
 * loads on first use, so a worker fetches and evaluates only the components it runs (a host
 * worker never loads NSX Manager's REST API, the manager's worker never loads the kernel).
 */
import type { ComponentCheck, ComponentFactory, ComponentType } from './lab/component';
import type { GenericSchema } from 'valibot';
import type { ComponentLoader } from './lab/unit';
import type { Fabric } from './fabric/fabric';
import type { FabricState } from './fabric/fabric-state';
import type { EsxHost } from './host/host';
import type { HostState } from './host/host-state';
import type { nsxDatapath } from './kernel-setup';
import type { VCenter, VCenterState } from './vcenter/vcenter';
import type { ManagerComponent, ManagerComponentState } from './manager/manager-component';
import type { Broker } from './bus/broker';
import type { BrokerState } from './bus/broker-state';

/** A factory with the check of its type's stored documents: valibot and the schema load only when a saved lab is opened. */
function withCheck(type: ComponentType, factory: ComponentFactory, schema: () => Promise<GenericSchema>): ComponentFactory {
  return Object.assign(factory, {
    loadCheck: async (): Promise<ComponentCheck> => {
      const [{ componentCheck }, state] = await Promise.all([import('./lab/component-check'), schema()]);
      return componentCheck(type, state);
    },
  });
}

/*
 * Each type's factory made from its code once loaded, and its loader, which loads that code on
 * first use. A worker entry made for one kind of unit (host.worker.ts…) imports its types' code
 * statically and hands it to their factories: its bundle then holds no dynamic import of any
 * component's code, nor a chunk split off for code shared with one, and its script is the one
 * request the worker makes before it runs.
 */
export const vcenterFactory = (code: { VCenter: typeof VCenter }) =>
  withCheck('vcenter', (id, state) => new code.VCenter(id, state as VCenterState), async () => (await import('./protocol/inventory-schema')).VCenterStateSchema);
export const fabricFactory = (code: { Fabric: typeof Fabric }) =>
  withCheck('fabric', (id, state) => new code.Fabric(id, state as FabricState), async () => (await import('./fabric/fabric-state-schema')).FabricStateSchema);
// Every host gets the NSX data path (the dvfilter IOChain with sw-sec and vmware-sfw).
export const hostFactory = (code: { EsxHost: typeof EsxHost; nsxDatapath: typeof nsxDatapath }) =>
  withCheck('host', (id, state) => new code.EsxHost(id, state as HostState, code.nsxDatapath), async () => (await import('./host/host-state-schema')).HostStateSchema);
// A unit hands each component a state of its own (parsed from stored parts, cloned by its transport, a dry run's copy).
export const managerFactory = (code: { ManagerComponent: typeof ManagerComponent }) =>
  withCheck('manager', (id, state) => new code.ManagerComponent(id, state as ManagerComponentState, { owned: true }), async () => (await import('./manager/manager-state-schema')).ManagerComponentStateSchema);
export const busFactory = (code: { Broker: typeof Broker }) =>
  withCheck('bus', (id, state) => new code.Broker(id, state as BrokerState), async () => (await import('./bus/broker-state-schema')).BrokerStateSchema);

export const componentLoaders: Record<ComponentType, ComponentLoader> = {
  vcenter: async () => vcenterFactory(await import('./vcenter/vcenter')),
  fabric: async () => fabricFactory(await import('./fabric/fabric')),
  host: async () => {
    const [host, kernel] = await Promise.all([import('./host/host'), import('./kernel-setup')]);
    return hostFactory({ ...host, ...kernel });
  },
  manager: async () => managerFactory(await import('./manager/manager-component')),
  bus: async () => busFactory(await import('./bus/broker')),
};
