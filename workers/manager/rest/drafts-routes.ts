/**
 * Saved configurations: /api/4.0/firewall/globalroot-0/drafts. Saving, reading, updating,
 * deleting, export and import (6.3 and 6.4 paths). Loading one back is a PUT /config with its
 * `<config>` content, as the UI's "Load saved configuration" + Publish does.
 */
import { addSaved, findSaved } from '../config/drafts';
import { parseRedirectSections, redirectSectionsToSave, withSavedRedirectSections } from '../service-insertion/saved-redirect';
import { configXml } from '../config/firewall-xml';
import { decodeDraftRequest, encodeDraft, type DraftRequest } from '../../protocol/nsx/draft-codec';
import type { ManagerCore } from '../core';
import { USER } from '../core';
import { ApiError } from '../errors';
import type { SavedConfiguration } from '../types';
import { child, el, orBadRequest, type XmlNode } from '../xml';
import { bodyXml, noContent, strictId, xml } from './http';
import { FW } from './firewall-routes';
import type { Router } from './router';

function draftXml(d: SavedConfiguration, core: ManagerCore, withConfig: boolean): XmlNode {
  const { config, redirectSections, ...head } = d;
  return encodeDraft(head, withConfig ? withSavedRedirectSections(configXml('config', config, core.describe), redirectSections, core) : undefined);
}

function draftId(text: string | undefined): number {
  const n = strictId(text);
  if (n === undefined) throw new ApiError('notFound', `Saved configuration ${text} not found`);
  return n;
}

/** A draft from a `<firewallDraft>` body; the configuration defaults to the published one. */
function parseDraft(node: XmlNode, core: ManagerCore, mode: SavedConfiguration['mode']): { draft: Omit<SavedConfiguration, 'id'>; sent: DraftRequest } {
  const sent = orBadRequest(decodeDraftRequest(node));
  const configNode = child(node, 'config');
  // A body without redirect sections saves the ones in effect, as a save of the whole configuration does.
  const redirectSections = (configNode && parseRedirectSections(configNode)) ?? redirectSectionsToSave(core);
  const draft: Omit<SavedConfiguration, 'id'> = {
    ...(redirectSections ? { redirectSections } : {}),
    name: sent.name ?? `Saved ${new Date(core.now()).toISOString()}`,
    description: sent.description ?? '',
    preserve: sent.preserve ?? false,
    mode: mode === 'imported' ? 'imported' : sent.mode === 'autosaved' ? 'autosaved' : 'userdefined',
    user: USER,
    timestamp: core.now(),
    config: sent.config ?? structuredClone(core.state.config),
  };
  return { draft, sent };
}

export function registerDraftRoutes(router: Router, core: ManagerCore): void {
  const create = (body: XmlNode, mode: SavedConfiguration['mode']) => {
    const draft: SavedConfiguration = { id: core.state.ids.draft++, ...parseDraft(body, core, mode).draft };
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
      const { draft: parsed, sent } = parseDraft(bodyXml(req), core, current.mode);
      const updated: SavedConfiguration = {
        ...current,
        name: sent.name ?? current.name,
        description: sent.description ?? current.description,
        preserve: sent.preserve ?? current.preserve,
        config: sent.config ? parsed.config : current.config,
        redirectSections: sent.config ? parsed.redirectSections : current.redirectSections,
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
