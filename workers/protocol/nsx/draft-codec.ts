/**
 * Saved configurations ("drafts", /api/4.0/firewall/globalroot-0/drafts) ⇄ NSX-V XML
 * (`firewallDraft`): the head NSX Manager keeps and lists, with the configuration itself in
 * `<config>` through the firewall codec. The manager decodes what clients save and encodes its
 * list and exports; the Saved configurations screen reads the list and saves its working copy.
 */
import { child, childrenOf, el, field, leaf, type XmlNode } from '../nsx-xml';
import { decodeConfig } from './firewall-codec';
import type { FirewallConfig } from './firewall-types';
import { boolField, decoded, expectTag, intField, NsxValueError, presentFields, type Decoded } from './fields';

type DraftMode = 'autosaved' | 'userdefined' | 'imported';

/** A saved configuration's head, as NSX Manager lists it. */
export interface DraftHead {
  id: number;
  name: string;
  description: string;
  preserve: boolean;
  mode: DraftMode;
  user: string;
  timestamp: number;
}

/** What a client's `<firewallDraft>` sets; each field it leaves out is the manager's to choose. */
export interface DraftRequest {
  name?: string;
  description?: string;
  preserve?: boolean;
  /** As sent; the manager keeps only `autosaved` and otherwise decides itself. */
  mode?: string;
  /** The configuration in `<config>`, read as a client's; absent when the body has none. */
  config?: FirewallConfig;
}

const bad = (message: string) => new NsxValueError(message);

const expectDraft = (node: XmlNode) => expectTag(node, 'firewallDraft');

/** A client's `<firewallDraft>` (POST, PUT, import). */
export const decodeDraftRequest = (node: XmlNode): Decoded<DraftRequest> =>
  decoded(() => {
    expectDraft(node);
    const out: DraftRequest = {};
    const configNode = child(node, 'config');
    if (configNode) {
      const config = decodeConfig(configNode);
      if (!config.ok) throw config.error;
      out.config = config.value;
    }
    if (field(node, 'preserve') !== undefined) out.preserve = boolField(node, 'preserve', false);
    return { ...out, ...presentFields(node, ['name', 'description', 'mode']) };
  });

const MODES: readonly DraftMode[] = ['autosaved', 'userdefined', 'imported'];

function readHead(node: XmlNode): DraftHead {
  expectDraft(node);
  const mode = field(node, 'mode') as DraftMode | undefined;
  if (!mode || !MODES.includes(mode)) throw bad(`Saved configuration mode "${mode ?? ''}" is not autosaved, userdefined or imported`);
  return {
    id: intField(node, 'id') ?? 0,
    name: field(node, 'name') ?? '',
    description: field(node, 'description') ?? '',
    preserve: boolField(node, 'preserve', false),
    mode,
    user: field(node, 'user') ?? '',
    timestamp: intField(node, 'timestamp') ?? 0,
  };
}

/** GET …/drafts (`<firewallDrafts>`): the heads, newest first as the manager lists them. */
export const decodeDraftList = (node: XmlNode): Decoded<DraftHead[]> =>
  decoded(() => {
    expectTag(node, 'firewallDrafts');
    return childrenOf(node, 'firewallDraft').map(readHead);
  });

/**
 * A `<firewallDraft>`: the manager's answer (every field of the head, `config` the encoded
 * configuration when it is sent whole) or a client's body (name, description, preserve, mode).
 */
export function encodeDraft(d: Partial<DraftHead>, config?: XmlNode): XmlNode {
  return el(
    'firewallDraft',
    { id: d.id, name: d.name, timestamp: d.timestamp },
    leaf('description', d.description),
    leaf('preserve', d.preserve),
    leaf('user', d.user),
    leaf('mode', d.mode),
    config,
  );
}
