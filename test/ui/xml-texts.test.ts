import { describe, expect, it } from 'vitest';
import { obj, texts } from '../../src/lib/nsx/xml';
import { parseXml } from '../../src/lib/nsx/xml-parser';

describe('repeating leaf texts', () => {
  it('reads every <ipAddress> under a SpoofGuard binding, one or many', () => {
    const doc = parseXml('<s><detectedIpAddress><ipAddress>172.16.10.11</ipAddress><ipAddress>172.16.10.77</ipAddress></detectedIpAddress><approvedIpAddress><ipAddress>172.16.10.11</ipAddress></approvedIpAddress><publishedIpAddress/></s>');
    const s = obj(doc.s);
    expect(texts(obj(s.detectedIpAddress).ipAddress)).toEqual(['172.16.10.11', '172.16.10.77']);
    expect(texts(obj(s.approvedIpAddress).ipAddress)).toEqual(['172.16.10.11']);
    expect(texts(obj(s.publishedIpAddress).ipAddress)).toEqual([]);
  });
});
