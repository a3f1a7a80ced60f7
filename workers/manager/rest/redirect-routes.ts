/**
 * `…/config/layer3redirectsections[/{id}[/rules[/{ruleId}]]]`: the service-insertion redirect
 * sections, with the DFW's conventions: a section's ETag guards PUT/DELETE of it and of its
 * rules (If-Match), new sections go on top (or `operation`/`anchorId`), the default section
 * (1002) stays last and cannot be deleted. Every accepted write publishes.
 */
import type { ManagerCore } from '../core';
import { ApiError, notFound } from '../errors';
import { ServiceInsertion } from '../service-insertion/service-insertion';
import { parseRedirectRule, parseRedirectSection, redirectRuleXml, redirectSectionXml } from '../service-insertion/redirect-xml';
import type { RedirectRule, RedirectSection } from '../service-insertion/model';
import { el, type XmlNode } from '../xml';
import { bodyXml, etag, noContent, requireIfMatch, strictId, xml } from './http';
import type { Router } from './router';

// Spelled out, not imported from firewall-routes: that module imports this one.
const BASE = '/api/4.0/firewall/globalroot-0/config/layer3redirectsections';
const MAX_RULES = 1000;

function idOf(value: string | undefined, what: string): number {
  const n = strictId(value);
  if (n === undefined) throw notFound(`${what} ${value}`);
  return n;
}

export function registerRedirectRoutes(router: Router, core: ManagerCore): void {
  const si = new ServiceInsertion(core);
  const profileName = (id: string) => si.serviceByProfile(id)?.name;
  const sectionNode = (s: RedirectSection) => redirectSectionXml(s, core.describe, profileName);
  const ruleNode = (r: RedirectRule, sectionId: number) => redirectRuleXml(r, sectionId, core.describe, profileName(r.siProfile));
  const newRule = (r: RedirectRule): RedirectRule => ({ ...si.resolveProfile(r), id: si.nextRuleId() });
  const checkSize = (s: RedirectSection) => {
    if (s.rules.length > MAX_RULES) throw new ApiError('badRequest', `A section holds at most ${MAX_RULES} rules`);
  };

  router.on(BASE, {
    GET: ({ query }) => {
      const name = query.get('name');
      const list = si.sections().filter((s) => name === null || s.name === name);
      if (name !== null && list.length === 0) throw notFound(`Firewall section named "${name}"`);
      const tag = name !== null && list.length === 1 ? etag(list[0]!.generationNumber) : {};
      return xml(200, el('sections', {}, ...list.map(sectionNode)), tag);
    },
    POST: ({ req, query }) => {
      const incoming = parseRedirectSection(bodyXml(req));
      const section: RedirectSection = { ...incoming, id: si.nextSectionId(), rules: incoming.rules.map(newRule) };
      checkSize(section);
      si.change([section.id], `redirect section ${section.id} created`, (st) => {
        if (st.sections.some((s) => s.name === section.name)) throw new ApiError('duplicate', `A redirect section named "${section.name}" already exists`);
        const anchor = strictId(query.get('anchorId'));
        const op = query.get('operation') ?? 'insert_top';
        let at = op === 'insert_top' ? 0 : st.sections.findIndex((s) => s.isDefault);
        if ((op === 'insert_before' || op === 'insert_after') && anchor !== undefined) {
          const i = st.sections.findIndex((s) => s.id === anchor);
          if (i < 0) throw new ApiError('badRequest', `anchorId ${anchor} is not a redirect section`);
          at = op === 'insert_before' ? i : i + 1;
        }
        if (at < 0) at = st.sections.length;
        if (at >= st.sections.length && st.sections.at(-1)?.isDefault) at = st.sections.length - 1;
        st.sections.splice(at, 0, section);
      });
      core.audit('created redirect section', String(section.id), null, section);
      return xml(201, sectionNode(si.section(section.id)), { ...etag(si.section(section.id).generationNumber), Location: `${BASE}/${section.id}` });
    },
  });

  router.on(`${BASE}/:sectionId`, {
    GET: ({ params }) => {
      const s = si.section(idOf(params.sectionId, 'Firewall section'));
      return xml(200, sectionNode(s), etag(s.generationNumber));
    },
    PUT: ({ req, params }) => {
      const id = idOf(params.sectionId, 'Firewall section');
      const current = si.ownSection(id);
      const incoming = parseRedirectSection(bodyXml(req));
      requireIfMatch(req, current.generationNumber, `section ${id}`);
      const known = new Set(current.rules.map((r) => r.id));
      const rules = incoming.rules.map((r) => (r.id > 0 && known.has(r.id) ? si.resolveProfile(r) : newRule(r)));
      checkSize({ ...incoming, rules });
      const before = structuredClone(current);
      si.change([id], `redirect section ${id} updated`, () => Object.assign(current, { name: current.isDefault ? current.name : incoming.name, rules }));
      core.audit('updated redirect section', String(id), before, current);
      return xml(200, sectionNode(current), etag(current.generationNumber));
    },
    DELETE: ({ req, params }) => {
      const id = idOf(params.sectionId, 'Firewall section');
      const current = si.ownSection(id);
      if (current.isDefault) throw new ApiError('badRequest', `Cannot delete default section ${id}`);
      requireIfMatch(req, current.generationNumber, `section ${id}`);
      si.change([], `redirect section ${id} deleted`, (st) => st.sections.splice(st.sections.indexOf(current), 1));
      core.audit('deleted redirect section', String(id), current, null);
      return noContent();
    },
  });

  router.on(`${BASE}/:sectionId/rules`, {
    GET: ({ params }) => {
      const s = si.section(idOf(params.sectionId, 'Firewall section'));
      return xml(200, el('rules', {}, ...s.rules.map((r) => ruleNode(r, s.id))), etag(s.generationNumber));
    },
    POST: ({ req, params, query }) => {
      const id = idOf(params.sectionId, 'Firewall section');
      const current = si.ownSection(id);
      const rule = newRule(parseRedirectRule(bodyXml(req)));
      requireIfMatch(req, current.generationNumber, `section ${id}`);
      checkSize({ ...current, rules: [...current.rules, rule] });
      si.change([id], `redirect rule ${rule.id} created`, () => {
        const anchor = strictId(query.get('anchorId'));
        const op = query.get('operation') ?? 'insert_top';
        const i = anchor === undefined ? -1 : current.rules.findIndex((r) => r.id === anchor);
        if (anchor !== undefined && i < 0) throw new ApiError('badRequest', `anchorId ${anchor} is not a rule of section ${id}`);
        const at = op === 'insert_before' && i >= 0 ? i : op === 'insert_after' && i >= 0 ? i + 1 : op === 'insert_bottom' ? current.rules.length : 0;
        current.rules.splice(at, 0, rule);
      });
      core.audit('created redirect rule', String(rule.id), null, rule);
      return xml(201, ruleNode(rule, id), { ...etag(current.generationNumber), Location: `${BASE}/${id}/rules/${rule.id}` });
    },
  });

  router.on(`${BASE}/:sectionId/rules/:ruleId`, {
    GET: ({ params }) => {
      const s = si.section(idOf(params.sectionId, 'Firewall section'));
      const r = s.rules.find((x) => x.id === idOf(params.ruleId, 'Firewall rule'));
      if (!r) throw notFound(`Firewall rule ${params.ruleId}`);
      return xml(200, ruleNode(r, s.id), etag(s.generationNumber));
    },
    PUT: ({ req, params }) => {
      const id = idOf(params.sectionId, 'Firewall section');
      const ruleId = idOf(params.ruleId, 'Firewall rule');
      const current = si.ownSection(id);
      const i = current.rules.findIndex((x) => x.id === ruleId);
      if (i < 0) throw notFound(`Firewall rule ${ruleId}`);
      const incoming = si.resolveProfile({ ...parseRedirectRule(bodyXml(req)), id: ruleId });
      requireIfMatch(req, current.generationNumber, `section ${id}`);
      const before = current.rules[i];
      si.change([id], `redirect rule ${ruleId} updated`, () => current.rules.splice(i, 1, incoming));
      core.audit('updated redirect rule', String(ruleId), before, incoming);
      return xml(200, ruleNode(incoming, id), etag(current.generationNumber));
    },
    DELETE: ({ req, params }) => {
      const id = idOf(params.sectionId, 'Firewall section');
      const ruleId = idOf(params.ruleId, 'Firewall rule');
      const current = si.ownSection(id);
      const i = current.rules.findIndex((x) => x.id === ruleId);
      if (i < 0) throw notFound(`Firewall rule ${ruleId}`);
      requireIfMatch(req, current.generationNumber, `section ${id}`);
      const before = current.rules[i];
      si.change([id], `redirect rule ${ruleId} deleted`, () => current.rules.splice(i, 1));
      core.audit('deleted redirect rule', String(ruleId), before, null);
      return noContent();
    },
  });
}

/** GET /config's `<layer3RedirectSections>` with the lab's redirect sections; none for ruleType LAYER3/LAYER2. */
export function withRedirectSections(config: XmlNode, core: ManagerCore, ruleType: string | undefined, ruleId: string | null): XmlNode {
  const si = new ServiceInsertion(core);
  const keep = !ruleType || ruleType === 'L3REDIRECT';
  const sections = keep
    ? si.sections().map((s) => (ruleId ? { ...s, rules: s.rules.filter((r) => String(r.id) === ruleId) } : s)).filter((s) => !ruleId || s.rules.length > 0)
    : [];
  const node = el('layer3RedirectSections', {}, ...sections.map((s) => redirectSectionXml(s, core.describe, (p) => si.serviceByProfile(p)?.name)));
  return { ...config, children: config.children.map((c) => (c.tag === 'layer3RedirectSections' ? node : c)) };
}
