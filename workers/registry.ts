/**
 * Every component type a lab can hold, by the type name lab documents use. Each type's code
 * loads on first use, so a worker fetches and evaluates only the components it runs (a host
 * worker never loads NSX Manager's REST API, the manager's worker never loads the kernel).
 */
import type { ComponentType } from './lab/component';
import type { ComponentLoader } from './lab/unit';
import type { FabricState } from './fabric/fabric-state';
import type { HostState } from './host/host-state';
import type { VCenterState } from './vcenter/vcenter';
import type { ManagerComponentState } from './manager/manager-component';
import type { BrokerState } from './bus/broker-state';

export const componentLoaders: Record<ComponentType, ComponentLoader> = {
  vcenter: async () => {
    const { VCenter } = await import('./vcenter/vcenter');
    return (id, state) => new VCenter(id, state as VCenterState);
  },
  fabric: async () => {
    const { Fabric } = await import('./fabric/fabric');
    return (id, state) => new Fabric(id, state as FabricState);
  },
  host: async () => {
    // Every host gets the NSX data path (the dvfilter IOChain with sw-sec and vmware-sfw).
    const [{ EsxHost }, { nsxDatapath }] = await Promise.all([import('./host/host'), import('./kernel-setup')]);
    return (id, state) => new EsxHost(id, state as HostState, nsxDatapath);
  },
  manager: async () => {
    const { ManagerComponent } = await import('./manager/manager-component');
    return (id, state) => new ManagerComponent(id, state as ManagerComponentState);
  },
  bus: async () => {
    const { Broker } = await import('./bus/broker');
    return (id, state) => new Broker(id, state as BrokerState);
  },
};
