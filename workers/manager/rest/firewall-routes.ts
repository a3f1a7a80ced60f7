/**
 * /api/4.0/firewall/globalroot-0/config and its sections and rules: read, create with insert
 * position, update and delete with If-Match (the config's ETag for the whole configuration,
 * the section's for the section and its rules). Every accepted write publishes, as NSX does.
 */
import { defaultConfig, DEFAULT_L2_SECTION_ID, DEFAULT_L3_SECTION_ID } from '../config/defaults';
import {
  deleteRule,
  deleteSection,
  editableCopy,
  findRule,
  findSection,
  insertRule,
  insertSection,
  moveSection,
  replaceConfig,
  replaceRule,
  replaceSection,
  sectionsOf,
} from '../config/firewall-edit';
import { configXml, parseConfig, parseRule, parseSection, ruleXml, sectionXml } from '../config/firewall-xml';
import type { ManagerCore } from '../core';
import { ApiError, notFound } from '../errors';
import type { FirewallConfig, FirewallRule, FirewallSection, SectionType } from '../types';
import { el } from '../xml';
import { bodyXml, etag, noContent, requireIfMatch, strictId, xml, type RestResponse } from './http';
import type { Router } from './router';
import { withRedirectSections } from './redirect-routes';
import { parseRedirectSections, restoreRedirectSections } from '../service-insertion/saved-redirect';
import { ServiceInsertion } from '../service-insertion/service-insertion';

export const FW = '/api/4.0/firewall/globalroot-0';

function layerOf(param: string): SectionType {
  const p = param.toLowerCase();
  if (p === 'layer3sections') return 'LAYER3';
  if (p === 'layer2sections') return 'LAYER2';
  throw notFound(`Section list ${param}`);
}

function layerPath(type: SectionType): string {
  return type === 'LAYER3' ? 'layer3sections' : 'layer2sections';
}

function intParam(value: string | undefined, what: string): number {
  const n = strictId(value);
  if (n === undefined) throw notFound(`${what} ${value}`);
  return n;
}

function anchorOf(q: URLSearchParams): number | undefined {
  const a = q.get('anchorId');
  if (a === null || a === '') return undefined;
  const n = strictId(a);
  if (n === undefined) throw new ApiError('badRequest', `anchorId "${a}" is not a number`);
  return n;
}

/** OSV appends `autoSaveDraft=false` to skip the auto-saved copy. */
function autoSave(q: URLSearchParams): boolean {
  return q.get('autoSaveDraft')?.toLowerCase() !== 'false';
}

/** GET /config filters: keep sections that have matching rules, and only those rules. */
function filterConfig(config: FirewallConfig, q: URLSearchParams): FirewallConfig {
  const ruleType = q.get('ruleType')?.toUpperCase();
  const ruleId = q.get('ruleId');
  const name = q.get('name');
  const action = q.get('action')?.toLowerCase();
  const comment = q.get('comment');
  const source = q.get('source');
  const destination = q.get('destination');
  const sectionName = q.get('sectionName');
  const ruleFilters = [ruleId, name, action, comment, source, destination].some((x) => x);
  const keepRule = (r: FirewallRule) =>
    (!ruleId || String(r.id) === ruleId) &&
    (!name || r.name.toLowerCase().includes(name.toLowerCase())) &&
    (!action || r.action === action) &&
    (!comment || (r.notes ?? '').toLowerCase().includes(comment.toLowerCase())) &&
    (!source || (r.sources?.members ?? []).some((m) => m.value === source)) &&
    (!destination || (r.destinations?.members ?? []).some((m) => m.value === destination));
  const filterLayer = (type: SectionType, list: FirewallSection[]) => {
    if (ruleType && ruleType !== type) return [];
    return list
      .filter((s) => !sectionName || s.name === sectionName)
      .map((s) => (ruleFilters ? { ...s, rules: s.rules.filter(keepRule) } : s))
      .filter((s) => !ruleFilters || s.rules.length > 0);
  };
  return { ...config, layer3Sections: filterLayer('LAYER3', config.layer3Sections), layer2Sections: filterLayer('LAYER2', config.layer2Sections) };
}

export function registerFirewallRoutes(router: Router, core: ManagerCore): void {
  const working = () => editableCopy(core.state.config);
  const sectionResponse = (status: number, s: FirewallSection, headers: Record<string, string> = {}): RestResponse =>
    xml(status, sectionXml(s, core.describe), { ...etag(s.generationNumber), ...headers });

  router.on(`${FW}/config`, {
    GET: ({ query }) => {
      const body = configXml('firewallConfiguration', filterConfig(core.state.config, query), core.describe);
      return xml(200, withRedirectSections(body, core, query.get('ruleType')?.toUpperCase(), query.get('ruleId')), etag(core.state.config.generationNumber));
    },
    PUT: ({ req, query }) => {
      const body = bodyXml(req);
      const incoming = parseConfig(body);
      const redirect = parseRedirectSections(body);
      requireIfMatch(req, core.state.config.generationNumber, 'firewall configuration');
      const before = core.state.config;
      const next = replaceConfig(working(), incoming, core.ids());
      // Partner redirect sections in the body replace the user's (checked before anything changes).
      const redirectBefore = core.state.serviceInsertion && structuredClone(core.state.serviceInsertion.sections);
      if (redirect) restoreRedirectSections(core, redirect);
      let generation: number;
      try {
        ({ generation } = core.publishConfig(next, { reason: 'configuration replaced through the API', autoSave: autoSave(query) }));
      } catch (err) {
        if (redirect && core.state.serviceInsertion) core.state.serviceInsertion.sections = redirectBefore ?? core.state.serviceInsertion.sections;
        throw err;
      }
      if (redirect) new ServiceInsertion(core).stampAll(generation);
      core.audit('replaced firewall configuration', 'globalroot-0', before, core.state.config);
      return xml(200, configXml('firewallConfiguration', core.state.config, core.describe), etag(generation));
    },
    DELETE: ({ query }) => {
      const before = core.state.config;
      // The defaults come back with their fixed ids; counters for new ids keep counting so that
      // ids in saved configurations never collide with new objects.
      const next = defaultConfig(0);
      core.publishConfig(next, { reason: 'default configuration restored', autoSave: autoSave(query), touched: [DEFAULT_L3_SECTION_ID, DEFAULT_L2_SECTION_ID] });
      core.audit('restored default firewall configuration', 'globalroot-0', before, core.state.config);
      return noContent();
    },
  });

  router.on(`${FW}/defaultconfig`, {
    GET: () => xml(200, configXml('firewallConfiguration', { ...defaultConfig(core.state.config.generationNumber) }, core.describe)),
  });

  router.on(`${FW}/config/:layer`, {
    GET: ({ params, query }) => {
      const type = layerOf(params.layer!);
      const name = query.get('name');
      const list = sectionsOf(core.state.config, type).filter((s) => name === null || s.name === name);
      if (name !== null && list.length === 0) throw notFound(`Firewall section named "${name}"`);
      // A section found by name carries its ETag, so a client can change it without a second GET.
      const tag = name !== null && list.length === 1 ? etag(list[0]!.generationNumber) : {};
      return xml(200, el('sections', {}, ...list.map((s) => sectionXml(s, core.describe))), tag);
    },
    POST: ({ req, params, query }) => {
      const type = layerOf(params.layer!);
      const section = parseSection(bodyXml(req), type);
      const next = working();
      const created = insertSection(next, section, { operation: query.get('operation') ?? undefined, anchorId: anchorOf(query) }, core.ids());
      core.publishConfig(next, { reason: `section ${created.id} created`, autoSave: autoSave(query), touched: [created.id] });
      const saved = findSection(core.state.config, type, created.id);
      core.audit('created firewall section', String(saved.id), null, saved);
      return sectionResponse(201, saved, { Location: `${FW}/config/${layerPath(type)}/${saved.id}` });
    },
  });

  router.on(`${FW}/config/:layer/:sectionId`, {
    GET: ({ params }) => sectionResponse(200, findSection(core.state.config, layerOf(params.layer!), intParam(params.sectionId, 'Firewall section'))),
    PUT: ({ req, params, query }) => {
      const type = layerOf(params.layer!);
      const id = intParam(params.sectionId, 'Firewall section');
      const current = findSection(core.state.config, type, id);
      const incoming = parseSection(bodyXml(req), type);
      requireIfMatch(req, current.generationNumber, `section ${id}`);
      const next = working();
      replaceSection(next, type, id, incoming, core.ids());
      core.publishConfig(next, { reason: `section ${id} updated`, autoSave: autoSave(query), touched: [id] });
      const saved = findSection(core.state.config, type, id);
      core.audit('updated firewall section', String(id), current, saved);
      return sectionResponse(200, saved);
    },
    DELETE: ({ req, params, query }) => {
      const type = layerOf(params.layer!);
      const id = intParam(params.sectionId, 'Firewall section');
      const current = findSection(core.state.config, type, id);
      const next = working();
      deleteSection(next, type, id);
      requireIfMatch(req, current.generationNumber, `section ${id}`);
      core.publishConfig(next, { reason: `section ${id} deleted`, autoSave: autoSave(query) });
      core.audit('deleted firewall section', String(id), current, null);
      return noContent();
    },
    /** `?action=revise&operation=insert_before&anchorId=N` moves a section. */
    POST: ({ req, params, query }) => {
      const type = layerOf(params.layer!);
      const id = intParam(params.sectionId, 'Firewall section');
      if (query.get('action') !== 'revise') throw new ApiError('badRequest', 'POST on a section needs action=revise');
      const current = findSection(core.state.config, type, id);
      requireIfMatch(req, current.generationNumber, `section ${id}`);
      const next = working();
      if (req.body?.trim()) replaceSection(next, type, id, parseSection(bodyXml(req), type), core.ids());
      moveSection(next, type, id, { operation: query.get('operation') ?? undefined, anchorId: anchorOf(query) });
      core.publishConfig(next, { reason: `section ${id} moved`, autoSave: autoSave(query), touched: [id] });
      const saved = findSection(core.state.config, type, id);
      core.audit('moved firewall section', String(id), current, saved);
      return sectionResponse(200, saved);
    },
  });

  router.on(`${FW}/config/:layer/:sectionId/rules`, {
    GET: ({ params }) => {
      const s = findSection(core.state.config, layerOf(params.layer!), intParam(params.sectionId, 'Firewall section'));
      return xml(200, el('rules', {}, ...s.rules.map((r) => ruleXml(r, s.id, core.describe))), etag(s.generationNumber));
    },
    POST: ({ req, params, query }) => {
      const type = layerOf(params.layer!);
      const sectionId = intParam(params.sectionId, 'Firewall section');
      const current = findSection(core.state.config, type, sectionId);
      const rule = parseRule(bodyXml(req));
      requireIfMatch(req, current.generationNumber, `section ${sectionId}`);
      const next = working();
      const created = insertRule(next, findSection(next, type, sectionId), rule, { operation: query.get('operation') ?? undefined, anchorId: anchorOf(query) }, core.ids());
      core.publishConfig(next, { reason: `rule ${created.id} created`, autoSave: autoSave(query), touched: [sectionId] });
      const section = findSection(core.state.config, type, sectionId);
      const saved = findRule(section, created.id);
      core.audit('created firewall rule', String(saved.id), null, saved);
      return xml(201, ruleXml(saved, sectionId, core.describe), {
        ...etag(section.generationNumber),
        Location: `${FW}/config/${layerPath(type)}/${sectionId}/rules/${saved.id}`,
      });
    },
  });

  router.on(`${FW}/config/:layer/:sectionId/rules/:ruleId`, {
    GET: ({ params }) => {
      const s = findSection(core.state.config, layerOf(params.layer!), intParam(params.sectionId, 'Firewall section'));
      return xml(200, ruleXml(findRule(s, intParam(params.ruleId, 'Firewall rule')), s.id, core.describe), etag(s.generationNumber));
    },
    PUT: ({ req, params, query }) => {
      const type = layerOf(params.layer!);
      const sectionId = intParam(params.sectionId, 'Firewall section');
      const ruleId = intParam(params.ruleId, 'Firewall rule');
      const current = findSection(core.state.config, type, sectionId);
      const before = findRule(current, ruleId);
      const incoming = parseRule(bodyXml(req));
      requireIfMatch(req, current.generationNumber, `section ${sectionId}`);
      const next = working();
      replaceRule(findSection(next, type, sectionId), ruleId, incoming);
      core.publishConfig(next, { reason: `rule ${ruleId} updated`, autoSave: autoSave(query), touched: [sectionId] });
      const section = findSection(core.state.config, type, sectionId);
      const saved = findRule(section, ruleId);
      core.audit('updated firewall rule', String(ruleId), before, saved);
      return xml(200, ruleXml(saved, sectionId, core.describe), etag(section.generationNumber));
    },
    DELETE: ({ req, params, query }) => {
      const type = layerOf(params.layer!);
      const sectionId = intParam(params.sectionId, 'Firewall section');
      const ruleId = intParam(params.ruleId, 'Firewall rule');
      const current = findSection(core.state.config, type, sectionId);
      const before = findRule(current, ruleId);
      const next = working();
      deleteRule(findSection(next, type, sectionId), ruleId);
      requireIfMatch(req, current.generationNumber, `section ${sectionId}`);
      core.publishConfig(next, { reason: `rule ${ruleId} deleted`, autoSave: autoSave(query), touched: [sectionId] });
      core.audit('deleted firewall rule', String(ruleId), before, null);
      return noContent();
    },
  });
}
