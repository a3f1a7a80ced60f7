/** Prefilled requests for the REST client, in the NSX-V API's own paths and bodies. */
import type { RestRequest } from '../../workers/lab/lab-api';

interface RestExample extends RestRequest {
  title: string;
}

const FW = '/api/4.0/firewall/globalroot-0';

export const REST_EXAMPLES: RestExample[] = [
  { title: 'GET firewall configuration', method: 'GET', path: `${FW}/config` },
  { title: 'DELETE firewall configuration (restore defaults)', method: 'DELETE', path: `${FW}/config` },
  { title: 'GET exclusion list', method: 'GET', path: '/api/2.1/app/excludelist?listSystemResources=true' },
  { title: 'Add vcsa-01a (vm-11) to the exclusion list', method: 'PUT', path: '/api/2.1/app/excludelist/vm-11' },
  { title: 'GET publish status', method: 'GET', path: `${FW}/status` },
  { title: 'GET saved configurations', method: 'GET', path: `${FW}/drafts` },
  {
    title: 'POST a rule on top of the default section (needs If-Match)',
    method: 'POST',
    path: `${FW}/config/layer3sections/1003/rules`,
    headers: { 'Content-Type': 'application/xml', 'If-Match': '' },
    body: '<rule disabled="false" logged="true"><name>Block web to db</name><action>deny</action><sources excluded="false"><source><value>securitygroup-1</value><type>SecurityGroup</type></source></sources><destinations excluded="false"><destination><value>vm-41</value><type>VirtualMachine</type></destination></destinations><direction>inout</direction><packetType>any</packetType></rule>',
  },
  { title: 'GET security tags', method: 'GET', path: '/api/2.0/services/securitytags/tag' },
  { title: 'GET security groups', method: 'GET', path: '/api/2.0/services/securitygroup/scope/globalroot-0' },
  { title: 'GET SpoofGuard policies', method: 'GET', path: '/api/4.0/services/spoofguard/policies/' },
];
