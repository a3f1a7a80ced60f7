/** Partner service setup shared by the partner tests: Acme IPS registered and deployed on Compute Cluster A. */
import { expect } from 'vitest';
import type { LabApi } from '../../workers/lab/lab-api';

export const XML = { 'Content-Type': 'application/xml' };

/** Registers Acme IPS (`service-1`, `serviceprofile-1`) and deploys it on Compute Cluster A (`domain-c25`), letting the hosts apply it. */
export async function deployAcme(api: LabApi, failurePolicy: 'failOpen' | 'failClosed' = 'failClosed'): Promise<void> {
  const reg = await api.rest({ method: 'POST', path: '/api/2.0/si/service', headers: XML, body: `<service><name>Acme IPS</name><vendor>Acme</vendor><failurePolicy>${failurePolicy}</failurePolicy></service>` });
  expect(reg.status).toBe(201);
  expect(reg.headers.Location ?? reg.headers.location).toBe('/api/2.0/si/service/service-1');
  const dep = await api.rest({ method: 'POST', path: '/api/2.0/si/deploy', headers: XML, body: '<clusterDeploymentConfigs><clusterDeploymentConfig><clusterId>domain-c25</clusterId><services><serviceDeploymentConfig><serviceId>service-1</serviceId></serviceDeploymentConfig></services></clusterDeploymentConfig></clusterDeploymentConfigs>' });
  expect(dep.status).toBe(202);
  await api.wait(2);
}
