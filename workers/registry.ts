/** Every component type a lab can hold, by the type name lab documents use. */
import './kernel-setup';
import type { ComponentFactory } from './lab/component';
import { Fabric } from './fabric/fabric';
import type { FabricState } from './fabric/fabric-state';
import { EsxHost } from './host/host';
import type { HostState } from './host/host-state';
import { VCenter, type VCenterState } from './vcenter/vcenter';
import { ManagerComponent, type ManagerComponentState } from './manager/manager-component';
import { Broker } from './bus/broker';
import type { BrokerState } from './bus/broker-state';

export const componentFactories: Record<string, ComponentFactory> = {
  vcenter: (id, state) => new VCenter(id, state as VCenterState),
  fabric: (id, state) => new Fabric(id, state as FabricState),
  host: (id, state) => new EsxHost(id, state as HostState),
  manager: (id, state) => new ManagerComponent(id, state as ManagerComponentState),
  bus: (id, state) => new Broker(id, state as BrokerState),
};
