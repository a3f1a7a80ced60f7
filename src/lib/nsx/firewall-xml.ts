/**
 * The Firewall screen's XML: NSX Manager's answers decoded and the screen's requests encoded by
 * the one firewall codec (workers/protocol/nsx/firewall-codec.ts). Imported on demand: the codec's
 * XML library is not part of the first screen's JavaScript.
 */
import { decodeConfig, encodeConfig } from '../../../workers/protocol/nsx/firewall-codec';
import { encodeDraft } from '../../../workers/protocol/nsx/draft-codec';
import { buildXml, child, parseXml, type XmlNode } from '../../../workers/protocol/nsx-xml';
import type { FwConfig } from './firewall-model';

/** A configuration NSX Manager answered with (`<firewallConfiguration>` or a draft's `<config>`). */
function configOf(node: XmlNode): FwConfig {
  const read = decodeConfig(node, { answer: true });
  if (!read.ok) throw new Error(`NSX Manager's firewall configuration could not be read: ${read.error.message}`);
  return read.value;
}

/** GET /config's body. */
export function readConfig(body: string): FwConfig {
  return configOf(parseXml(body));
}

/**
 * A saved configuration (`<firewallDraft>`): its rules, and its partner redirect sections
 * (`<config><layer3RedirectSections>`) kept as XML for the Publish that restores them; none when
 * it has none (a configuration saved before partner services existed).
 */
export function readDraft(body: string): FwConfig {
  const config = child(parseXml(body), 'config');
  if (!config) throw new Error('The saved configuration has no <config>');
  const out = configOf(config);
  const redirect = child(config, 'layer3RedirectSections');
  if (redirect) out.redirectSections = buildXml(redirect);
  return out;
}

const configNode = (tag: 'firewallConfiguration' | 'config', c: FwConfig) => encodeConfig(tag, c, { redirectSections: c.redirectSections ? parseXml(c.redirectSections) : undefined });

/** PUT /config's body. */
export function configXml(c: FwConfig): string {
  return buildXml(configNode('firewallConfiguration', c));
}

/** A saved configuration body for POST /drafts. */
export function draftXml(name: string, description: string, c: FwConfig): string {
  return buildXml(encodeDraft({ name, description, preserve: false, mode: 'userdefined' }, configNode('config', c)));
}
