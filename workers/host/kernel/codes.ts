/**
 * Numeric codes the hot path writes instead of strings; the Observation builder turns them
 * into the words the UI and logs show (pf reason names where NSX uses them).
 */

export const enum Act {
  Pass = 0,
  Drop = 1,
  Reject = 2,
}

export const ACTION_NAMES = ['PASS', 'DROP', 'REJECT'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export const enum Table {
  Dvfilter = 0,
  Swsec = 1,
  L2Rule = 2,
  State = 3,
  Rule = 4,
  Default = 5,
  None = 6,
  /** Slot 4 (serviceinstance): the redirect rule table. */
  Redirect = 7,
  /** Slot 4: the partner service VM's own inspection. */
  Partner = 8,
}

export const TABLE_NAMES = ['dvfilter', 'swsec', 'l2-rule', 'state', 'rule', 'default', 'none', 'redirect', 'partner'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** Why a slot decided what it did. Order matters: it indexes REASON_NAMES and the stat counters. */
export const enum Reason {
  Match = 0,
  StateMismatch = 1,
  SpoofGuard = 2,
  BadOffset = 3,
  Short = 4,
  Fragment = 5,
  Normalize = 6,
  StateLimit = 7,
  Excluded = 8,
  NoFilter = 9,
  NoRules = 10,
  NoMatch = 11,
  Pass = 12,
  FilterFailure = 13,
  NotIp = 14,
  /** pf's reason when a state cannot be allocated: the DFW heap is exhausted. */
  Memory = 15,
}

export const REASON_NAMES = [
  'match',
  'state-mismatch',
  'SpoofGuard',
  'bad-offset',
  'short',
  'fragment',
  'normalize',
  'state-limit',
  'excluded',
  'no-filter',
  'no-rules',
  'no-match',
  'pass',
  'filter-failure',
  'not-ip',
  'memory',
] as const;
export type ReasonName = (typeof REASON_NAMES)[number];

/** Extra explanation attached to a decision; 0 = none. */
export const enum Detail {
  None = 0,
  SeqOutsideWindow = 1,
  InvalidFlags = 2,
  StrictNotSyn = 3,
  StrictDataBeforeHandshake = 4,
  NonSynByAnyService = 5,
  AlgFtp = 6,
  IcmpRelated = 7,
  IcmpReplyMismatch = 8,
  NonSynNoState = 9,
  SpoofSourceIp = 10,
  SpoofSourceMac = 11,
  SpoofDestIp = 12,
  Dhcp = 13,
  L2Reject = 14,
  Ipv6NotModelled = 15,
  NotProgrammed = 16,
  Stateless = 17,
  BadIpVersion = 18,
  TableFull = 19,
  HeapExhausted = 20,
  AlgSunRpc = 21,
  AlgMsRpc = 22,
  AlgTns = 23,
}

export const DETAIL_TEXT: readonly string[] = [
  '',
  'seqno outside window',
  'invalid TCP flag combination',
  'TCP strict: first packet of the session is not a SYN',
  'TCP strict: data before the three-way handshake completed',
  'not a SYN: passed by a rule with service ANY, no state created',
  'ALG expectation (FTP): the data connection announced on the control session',
  'ICMP error related to a tracked session',
  'ICMP reply does not answer the tracked query',
  'non-SYN TCP without state: rules with a TCP service only match SYN',
  'source IP is not an approved binding of this vNIC',
  'source MAC is not the MAC of this vNIC',
  'destination IP is not an approved binding of this vNIC',
  'DHCP is always allowed',
  'reject acts as block for L2 rules',
  'IPv6 is not modelled in the lab; L2 rules only',
  'filter not programmed by vsfwd yet',
  'stateless section: no state created',
  'IP version field is not 4',
  'connection table full',
  'DFW memory (vsip-state heap) exhausted: vmware-sfw fails closed, so a new connection is dropped',
  'ALG expectation (Sun RPC): the port the portmapper announced in its GETPORT reply',
  'ALG expectation (MS-RPC): the endpoint the endpoint mapper announced',
  'ALG expectation (Oracle TNS): the address the listener redirected the client to',
];
