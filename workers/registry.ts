/**
 * Every component type a lab can hold, by the type name lab documents use. Each type's code
 * loads on first use, so a worker fetches and evaluates only the components it runs (a host
 * worker never loads NSX Manager's REST API, the manager's worker never loads the kernel).
 */
import type { ComponentCheck, ComponentFactory, ComponentType } from './lab/component';
import type { GenericSchema } from 'valibot';
import type { ComponentLoader } from './lab/unit';
import type { FabricState } from './fabric/fabric-state';
import type { HostState } from './host/host-state';
import type { VCenterState } from './vcenter/vcenter';
import type { ManagerComponentState } from './manager/manager-component';
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

export const componentLoaders: Record<ComponentType, ComponentLoader> = {
  vcenter: async () => {
    const { VCenter } = await import('./vcenter/vcenter');
    return withCheck('vcenter', (id, state) => new VCenter(id, state as VCenterState), async () => (await import('./protocol/inventory-schema')).VCenterStateSchema);
  },
  fabric: async () => {
    const { Fabric } = await import('./fabric/fabric');
    return withCheck('fabric', (id, state) => new Fabric(id, state as FabricState), async () => (await import('./fabric/fabric-state-schema')).FabricStateSchema);
  },
  host: async () => {
    // Every host gets the NSX data path (the dvfilter IOChain with sw-sec and vmware-sfw).
    const [{ EsxHost }, { nsxDatapath }] = await Promise.all([import('./host/host'), import('./kernel-setup')]);
    return withCheck('host', (id, state) => new EsxHost(id, state as HostState, nsxDatapath), async () => (await import('./host/host-state-schema')).HostStateSchema);
  },
  manager: async () => {
    const { ManagerComponent } = await import('./manager/manager-component');
    // A unit hands each component a state of its own (parsed from stored parts, cloned by its transport, a dry run's copy).
    return withCheck('manager', (id, state) => new ManagerComponent(id, state as ManagerComponentState, { owned: true }), async () => (await import('./manager/manager-state-schema')).ManagerComponentStateSchema);
  },
  bus: async () => {
    const { Broker } = await import('./bus/broker');
    return withCheck('bus', (id, state) => new Broker(id, state as BrokerState), async () => (await import('./bus/broker-state-schema')).BrokerStateSchema);
  },
};
