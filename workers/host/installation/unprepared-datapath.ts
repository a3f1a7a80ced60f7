/**
 * The data path of a host whose NSX VIBs are not loaded: no dvfilter slots, so frames pass as
 * on any vSphere host; a probe's trace says why nothing inspected them.
 */
import { UnfilteredDatapath, type DatapathVerdict } from '../datapath';

const NOT_PREPARED = 'not-prepared';

export class UnpreparedDatapath extends UnfilteredDatapath {
  constructor(private readonly hostName: string) {
    super();
  }

  override process(): DatapathVerdict {
    return {
      pass: true,
      observations: [{ slot: 0, filter: '', table: 'none', action: 'PASS', reason: NOT_PREPARED, detail: `${this.hostName} is not prepared for NSX: no dvfilter slots, the distributed firewall does not see this traffic` }],
    };
  }
}
