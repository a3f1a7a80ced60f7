/**
 * A lesson's lab in which some clusters are not prepared for NSX yet (the classroom preset has
 * every host prepared): their hosts have no NSX VIBs, so no dvfilter slots and no vsfwd, and NSX
 * Manager lists them as not installed until the learner prepares the cluster.
 */
import type { LabDocument } from '../lab-document';
import type { HostState } from '../../host/host-state';
import { unpreparedHost } from '../../host/installation/vibs';
import { initialVsfwd } from '../../host/vsfwd/vsfwd-state';
import type { ManagerComponentState } from '../../manager/manager-component';

/** Changes `doc` in place; throws on a cluster the lab does not have. */
export function withUnpreparedClusters(doc: LabDocument, clusters: readonly string[]): LabDocument {
  const manager = doc.components.manager!.state as ManagerComponentState;
  const inventory = manager.manager.inventory;
  for (const id of clusters) {
    const cluster = inventory.clusters.find((c) => c.moid === id || c.name === id);
    if (!cluster) throw new Error(`unprepared: no cluster ${id} in the lab (clusters: ${inventory.clusters.map((c) => `${c.name} (${c.moid})`).join(', ')})`);
    for (const h of inventory.hosts.filter((x) => x.cluster === cluster.moid)) {
      const host = doc.components[h.moid]!.state as HostState;
      host.prep = unpreparedHost();
      // vsfwd comes with the esx-vsip VIB: not there, not running.
      host.vsfwd = { ...initialVsfwd(doc.clock), service: 'stopped' };
      (manager.manager.hostPrep ??= {})[h.moid] = { phase: 'notInstalled' };
    }
  }
  return doc;
}
