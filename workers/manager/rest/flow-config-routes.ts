/**
 * GET|PUT /api/2.1/app/flow/config: flow monitoring's global settings (nsx-reference §1.17,
 * `<FlowConfiguration><collectFlows/><ignoreBlockedFlows/><ignoreLayer2Flows/>…`). A change is
 * pushed to every host's vsfwd, which logs it as seed 000 shows ("Loaded flow config").
 */
import type { ManagerCore } from '../core';
import type { FlowConfig } from '../types';
import { orBadRequest } from '../xml';
import { decodeFlowConfig, encodeFlowConfig } from '../../protocol/nsx/flow-config';
import { bodyXml, xml } from './http';
import type { Router } from './router';

export const FLOW_CONFIG_PATH = '/api/2.1/app/flow/config';

/** The lab collects flows from the start (NSX-V ships with collection off; the lab's flow screens need it on). */
export const DEFAULT_FLOW_CONFIG: FlowConfig = { collectFlows: true, ignoreBlockedFlows: false, ignoreLayer2Flows: false };

const flowConfigOf = (core: ManagerCore): FlowConfig => core.state.flowConfig ?? DEFAULT_FLOW_CONFIG;

export function registerFlowConfigRoutes(router: Router, core: ManagerCore): void {
  router.on(FLOW_CONFIG_PATH, {
    GET: () => xml(200, encodeFlowConfig(flowConfigOf(core))),
    PUT: ({ req }) => {
      const body = bodyXml(req);
      const before = flowConfigOf(core);
      const after = orBadRequest(decodeFlowConfig(body, before));
      core.state.flowConfig = after;
      core.audit('updated flow monitoring configuration', 'flowconfig', before, after);
      return xml(200, encodeFlowConfig(after));
    },
  });
}
