/** A fresh broker: durable queues for NSX Manager and for every prepared host, nothing connected. */
import { MANAGER_QUEUE, hostQueue } from '../protocol/amqp';
import type { BrokerState } from './broker-state';

export function initialBrokerState(managerIp: string, hostIds: string[]): BrokerState {
  return {
    ip: managerIp,
    connections: {},
    queues: Object.fromEntries([MANAGER_QUEUE, ...hostIds.map(hostQueue)].map((q) => [q, []])),
    cut: [],
    corrupt: [],
    nextTag: 1,
    nextPort: 23251,
    nextSeq: 1,
    capture: [],
  };
}
