/** The Firewall picker's security groups from NSX Manager's real answer: identity groups first, naming their directory groups. */
import { afterEach, describe, expect, it } from 'vitest';
import { IDENTITY_GROUPS, securityGroupChoices } from '../../src/lib/nsx/object-catalog.svelte';
import { readSecurityGroups } from '../../src/lib/nsx/objects-xml';
import { buildLab } from '../../workers/lab/presets/build-lab';
import type { LabApi } from '../../workers/lab/lab-api';
import { boot } from '../scenario/helpers';

const XML = { 'Content-Type': 'application/xml' };
let api: LabApi;
afterEach(() => api?.lab.dispose());

describe('security groups by directory group in the Firewall picker', () => {
  it('offers a security group that includes a directory group under its own heading, with the group named', async () => {
    api = await boot(buildLab());
    const read = async () => securityGroupChoices(readSecurityGroups((await api.rest({ method: 'GET', path: '/api/2.0/services/securitygroup/scope/globalroot-0' })).body));
    expect((await read()).some((c) => c.group === IDENTITY_GROUPS)).toBe(false);
    const made = await api.rest({ method: 'POST', path: '/api/2.0/services/securitygroup/bulk/globalroot-0', headers: XML, body: '<securitygroup><name>Finance users</name><member><objectId>directory_group_1</objectId></member></securitygroup>' });
    expect(made.status).toBe(201);
    const choices = await read();
    expect(choices[0]).toEqual({ value: made.body.trim(), name: 'Finance users', type: 'SecurityGroup', group: IDENTITY_GROUPS, detail: 'CORP\\Finance' });
    expect(choices.filter((c) => c.group === IDENTITY_GROUPS)).toHaveLength(1);
    expect(choices.find((c) => c.name === 'Web Servers')).toMatchObject({ group: 'Security groups', type: 'SecurityGroup' });
  });
});
