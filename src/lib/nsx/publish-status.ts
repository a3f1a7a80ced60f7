/** GET /api/4.0/firewall/globalroot-0/status as rows: overall, per cluster, per host. */
import { list, num, obj, str, type XmlObject } from './xml';

export interface HostStatus {
  hostId: string;
  hostName: string;
  clusterId: string;
  status: string;
  generationNumber: number;
  errorCode: number;
}

export interface PublishStatus {
  status: string;
  generationNumber: number;
  clusters: { clusterId: string; status: string; generationNumber: number }[];
  hosts: HostStatus[];
}

export function readStatus(doc: XmlObject): PublishStatus {
  const root = obj(doc.firewallStatus ?? doc.sectionStatus);
  const clusters = list(obj(root.clusterList).clusterStatus);
  return {
    status: str(root, 'status'),
    generationNumber: num(root, 'generationNumber'),
    clusters: clusters.map((c) => ({ clusterId: str(c, 'clusterId'), status: str(c, 'status'), generationNumber: num(c, 'generationNumber') })),
    hosts: clusters.flatMap((c) =>
      list(obj(c.hostStatusList).hostStatus).map((h) => ({
        hostId: str(h, 'hostId'),
        hostName: str(h, 'hostName'),
        clusterId: str(h, 'clusterId') || str(c, 'clusterId'),
        status: str(h, 'status'),
        generationNumber: num(h, 'generationNumber'),
        errorCode: num(h, 'errorCode'),
      })),
    ),
  };
}
