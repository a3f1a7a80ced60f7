/**
 * Saved configurations: /api/4.0/firewall/globalroot-0/drafts. Saving, reading, updating,
 * deleting, export and import (6.3 and 6.4 paths). Loading one back is a PUT /config with its
 * `<config>` content, as the UI's "Load saved configuration" + Publish does.
 */
import { addSaved, findSaved } from '../config/drafts';
import { parseRedirectSections, redirectSectionsToSave, withSavedRedirectSections } from '../service-insertion/saved-redirect';
import { configXml, parseConfig } from '../config/firewall-xml';
import type { ManagerCore } from '../core';
import { USER } from '../core';
import { ApiError } from '../errors';
import type { SavedConfiguration } from '../types';
import { boolField, child, el, field, leaf, type XmlNode } from '../xml';
import { bodyXml, noContent, strictId, xml } from './http';
import { FW } from './firewall-routes';
import type { Router } from './router';

function draftXml(d: SavedConfiguration, core: ManagerCore, withConfig: boolean): XmlNode {
  return el(
    'firewallDraft',
    { id: d.id, name: d.name, timestamp: d.timestamp },
    leaf('description', d.description),
    leaf('preserve', d.preserve),
    leaf('user', d.user),
    leaf('mode', d.mode),
    withConfig ? withSavedRedirectSections(configXml('config', d.config, core.describe), d.redirectSections, core) : null,
  );
}

function draftId(text: string | undefined): number {
  const n = strictId(text);
  if (n === undefined) throw new ApiError('notFound', `Saved configuration ${text} not found`);
  return n;
}

/** A draft from a `<firewallDraft>` body; the configuration defaults to the published one. */
function parseDraft(node: XmlNode, core: ManagerCore, mode: SavedConfiguration['mode']): Omit<SavedConfiguration, 'id'> {
  if (node.tag !== 'firewallDraft') throw new ApiError('badRequest', `Expected <firewallDraft>, got <${node.tag}>`);
  const configNode = child(node, 'config');
  const config = configNode ? parseConfig(configNode) : structuredClone(core.state.config);
  // A body without redirect sections saves the ones in effect, as a save of the whole configuration does.
  const redirectSections = (configNode && parseRedirectSections(configNode)) ?? redirectSectionsToSave(core);
  const modeText = field(node, 'mode');
  return {
    ...(redirectSections ? { redirectSections } : {}),
    name: field(node, 'name') ?? `Saved ${new Date(core.now()).toISOString()}`,
    description: field(node, 'description') ?? '',
    preserve: boolField(node, 'preserve', false),
    mode: mode === 'imported' ? 'imported' : modeText === 'autosaved' ? 'autosaved' : 'userdefined',
    user: USER,
    timestamp: core.now(),
    config,
  };
}

export function registerDraftRoutes(router: Router, core: ManagerCore): void {
  const create = (body: XmlNode, mode: SavedConfiguration['mode']) => {
    const draft: SavedConfiguration = { id: core.state.ids.draft++, ...parseDraft(body, core, mode) };
    core.state.drafts = addSaved(core.state.drafts, draft);
    core.audit(mode === 'imported' ? 'imported saved configuration' : 'saved configuration', String(draft.id), null, { name: draft.name, preserve: draft.preserve });
    return xml(201, draftXml(draft, core, true), { Location: `${FW}/drafts/${draft.id}` });
  };

  router.on(`${FW}/drafts`, {
    GET: () => xml(200, el('firewallDrafts', {}, ...[...core.state.drafts].reverse().map((d) => draftXml(d, core, false)))),
    POST: ({ req }) => create(bodyXml(req), 'userdefined'),
  });
  router.on(`${FW}/drafts/action/import`, { POST: ({ req }) => create(bodyXml(req), 'imported') });
  router.on(`${FW}/drafts/:draftId/action/import`, { POST: ({ req }) => create(bodyXml(req), 'imported') });
  router.on(`${FW}/drafts/:draftId/action/export`, {
    GET: ({ params }) => xml(200, draftXml(findSaved(core.state.drafts, draftId(params.draftId)), core, true)),
  });
  router.on(`${FW}/drafts/:draftId`, {
    GET: ({ params }) => xml(200, draftXml(findSaved(core.state.drafts, draftId(params.draftId)), core, true)),
    PUT: ({ req, params }) => {
      const current = findSaved(core.state.drafts, draftId(params.draftId));
      const body = bodyXml(req);
      const parsed = parseDraft(body, core, current.mode);
      const updated: SavedConfiguration = {
        ...current,
        name: field(body, 'name') ?? current.name,
        description: field(body, 'description') ?? current.description,
        preserve: boolField(body, 'preserve', current.preserve),
        config: child(body, 'config') ? parsed.config : current.config,
        redirectSections: child(body, 'config') ? parsed.redirectSections : current.redirectSections,
        timestamp: core.now(),
      };
      core.state.drafts = core.state.drafts.map((d) => (d.id === current.id ? updated : d));
      core.audit('updated saved configuration', String(current.id), { name: current.name, preserve: current.preserve }, { name: updated.name, preserve: updated.preserve });
      return xml(200, draftXml(updated, core, true));
    },
    DELETE: ({ params }) => {
      const current = findSaved(core.state.drafts, draftId(params.draftId));
      core.state.drafts = core.state.drafts.filter((d) => d.id !== current.id);
      core.audit('deleted saved configuration', String(current.id), { name: current.name }, null);
      return noContent();
    },
  });
}
