/** All NSX-V API routes the simulated manager answers. */
import type { ManagerCore } from '../core';
import { registerAppRoutes } from './app-routes';
import { registerDraftRoutes } from './drafts-routes';
import { registerFirewallAdminRoutes } from './firewall-admin-routes';
import { registerFirewallRoutes } from './firewall-routes';
import { registerFlowConfigRoutes } from './flow-config-routes';
import { registerGroupingRoutes } from './grouping-routes';
import { registerInstallationRoutes } from '../installation/installation-routes';
import { registerPolicyRoutes } from './policy-routes';
import { registerRedirectRoutes } from './redirect-routes';
import { Router } from './router';
import { registerIdentityRoutes } from '../identity/identity-routes';
import { IdentityService } from '../identity/identity-service';
import { registerSpoofGuardRoutes } from './spoofguard-routes';
import { registerServiceInsertionRoutes } from '../service-insertion/si-routes';

export function buildRouter(core: ManagerCore): Router {
  const router = new Router();
  registerFirewallRoutes(router, core);
  registerRedirectRoutes(router, core);
  registerDraftRoutes(router, core);
  registerFirewallAdminRoutes(router, core);
  registerGroupingRoutes(router, core);
  registerAppRoutes(router, core);
  registerFlowConfigRoutes(router, core);
  registerSpoofGuardRoutes(router, core);
  registerPolicyRoutes(router, core);
  registerIdentityRoutes(router, new IdentityService(core));
  registerInstallationRoutes(router, core);
  registerServiceInsertionRoutes(router, core);
  return router;
}
