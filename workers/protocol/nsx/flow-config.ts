/**
 * Flow monitoring's global settings (GET/PUT /api/2.1/app/flow/config, `<FlowConfiguration>`) ⇄
 * their XML: NSX Manager answers and applies them, and reads them back for the bus to vsfwd.
 */
import { el, leaf, type XmlNode } from '../nsx-xml';
import { boolField, decoded, NsxValueError, type Decoded } from './fields';

export interface FlowConfig {
  collectFlows: boolean;
  ignoreBlockedFlows: boolean;
  ignoreLayer2Flows: boolean;
}

export function encodeFlowConfig(c: FlowConfig): XmlNode {
  return el('FlowConfiguration', {}, leaf('collectFlows', c.collectFlows), leaf('ignoreBlockedFlows', c.ignoreBlockedFlows), leaf('ignoreLayer2Flows', c.ignoreLayer2Flows));
}

/** The settings a body sets; one it leaves out keeps the value `before` gives. */
export function decodeFlowConfig(node: XmlNode, before: FlowConfig): Decoded<FlowConfig> {
  return decoded(() => {
    if (node.tag !== 'FlowConfiguration') throw new NsxValueError(`Expected <FlowConfiguration>, got <${node.tag}>`);
    return {
      collectFlows: boolField(node, 'collectFlows', before.collectFlows),
      ignoreBlockedFlows: boolField(node, 'ignoreBlockedFlows', before.ignoreBlockedFlows),
      ignoreLayer2Flows: boolField(node, 'ignoreLayer2Flows', before.ignoreLayer2Flows),
    };
  });
}
