/**
 * The lab runtime's transports with the component code they run (the registry's loaders):
 * the runtime (workers/lab/) imports no component, this composition root hands them over.
 */
import { componentLoaders } from './registry';
import { inProcessTransportOf, type Transport } from './lab/transport';

/** Every unit in this thread (tests, the headless runner, dry checks in the page). */
export const inProcessTransport: Transport = inProcessTransportOf(componentLoaders);
