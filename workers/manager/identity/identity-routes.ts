/**
 * The identity firewall's REST API, NSX-V paths: /api/1.0/directory (domains) and
 * /api/1.0/identity (who is logged on where, a user's directory groups). Security groups include
 * directory groups through the grouping API (member objectId `directory_group_N`). The
 * reference lacks these: paths from the NSX-V API guide, bodies in the lab's layout.
 */
import { badRequest } from '../errors';
import { xml } from '../rest/http';
import type { Router } from '../rest/router';
import { el, leaf } from '../xml';
import { groupsOfUser, userName } from './directory';
import type { IdentityService } from './identity-service';

export function registerIdentityRoutes(router: Router, identity: IdentityService): void {
  const iso = (t: number) => new Date(t).toISOString();

  router.on('/api/1.0/directory/listDomains', {
    GET: () => {
      const d = identity.state.domain;
      return xml(200, el('DirectoryDomains', {}, el('DirectoryDomain', {}, leaf('id', d.id), leaf('name', d.name), leaf('netbiosName', d.netbiosName), leaf('type', 'ACTIVE_DIRECTORY'), leaf('agentDiscovered', false))));
    },
  });

  router.on('/api/1.0/identity/userIpMapping', {
    GET: () =>
      xml(
        200,
        el(
          'UserIpMappings',
          {},
          ...identity.state.logons.map((l) =>
            el('UserIpMapping', {}, leaf('userName', `${identity.state.domain.netbiosName}\\${l.user}`), leaf('ip', l.ip), leaf('vmId', l.vm), leaf('vmName', l.vmName), leaf('loginTime', iso(l.at)), leaf('source', 'GUEST_INTROSPECTION')),
          ),
        ),
      ),
  });

  const groupsFor = (raw: string | null | undefined) => {
    const user = raw ? userName(raw) : undefined;
    if (!user) throw badRequest('Give the user as ?user=NAME (or CORP\\NAME)');
    return xml(200, el('DirectoryGroups', {}, ...groupsOfUser(identity.state, user).map((g) => el('DirectoryGroup', {}, leaf('objectId', g.objectId), leaf('objectTypeName', 'DirectoryGroup'), leaf('name', g.name), leaf('domain', identity.state.domain.name)))));
  };
  router.on('/api/1.0/identity/directoryGroupsForUser', { GET: ({ query }) => groupsFor(query.get('user') ?? query.get('userName')) });
  router.on('/api/1.0/identity/directoryGroupsForUser/:user', { GET: ({ params }) => groupsFor(params.user) });
}
