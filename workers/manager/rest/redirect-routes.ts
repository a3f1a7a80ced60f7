/**
 * `…/config/layer3redirectsections[/{id}[/rules[/{ruleId}]]]`: the service-insertion redirect
 * sections, readable with their ETag like any section. No partner service can be registered in
 * the lab, so changes are refused with a clear message.
 */
import { DEFAULT_REDIRECT_SECTION_ID, DEFAULT_REDIRECT_SECTION_NAME, redirectGeneration, redirectSectionXml } from '../config/redirect-sections';
import type { ManagerCore } from '../core';
import { ApiError, notFound } from '../errors';
import { el } from '../xml';
import { etag, xml } from './http';
import type { Router } from './router';
import { FW } from './firewall-routes';

const BASE = `${FW}/config/layer3redirectsections`;

const refuse = () => {
  throw new ApiError('badRequest', 'Redirect (service insertion) rules need a registered partner service; none is registered in this lab');
};

export function registerRedirectRoutes(router: Router, core: ManagerCore): void {
  const section = (id: string | undefined) => {
    if (Number(id) !== DEFAULT_REDIRECT_SECTION_ID) throw notFound(`Firewall section ${id}`);
    return core.state.config;
  };
  router.on(BASE, {
    GET: ({ query }) => {
      const name = query.get('name');
      if (name !== null && name !== DEFAULT_REDIRECT_SECTION_NAME) throw notFound(`Firewall section named "${name}"`);
      const config = core.state.config;
      return xml(200, el('sections', {}, redirectSectionXml(config)), etag(redirectGeneration(config)));
    },
    POST: refuse,
  });
  router.on(`${BASE}/:sectionId`, {
    GET: ({ params }) => {
      const config = section(params.sectionId);
      return xml(200, redirectSectionXml(config), etag(redirectGeneration(config)));
    },
    PUT: refuse,
    DELETE: refuse,
    POST: refuse,
  });
  router.on(`${BASE}/:sectionId/rules`, {
    GET: ({ params }) => xml(200, el('rules', {}), etag(redirectGeneration(section(params.sectionId)))),
    POST: refuse,
  });
  router.on(`${BASE}/:sectionId/rules/:ruleId`, {
    GET: ({ params }) => {
      section(params.sectionId);
      throw notFound(`Firewall rule ${params.ruleId}`);
    },
  });
}
