// The GDOI configuration of one router as the IOS commands build it
// (`crypto gdoi group NAME`): the group's identity number, and either the
// key-server side (`server local` with its rekey settings, `sa ipsec N`
// policies and registration address) or the group-member side (`server
// address ipv4 A`, the key servers tried in order). What is configured only;
// the running key server and members keep their state in key-server.ts and
// group-member.ts.

/** `sa ipsec N` under `server local`: one TEK policy. */
export interface GdoiSaIpsecConfig {
  number: number;
  /** `profile NAME`: the `crypto ipsec profile` whose transform set the TEK uses. */
  profile?: string;
  /** `match address ipv4 ACL`: the ACL downloaded to the members. */
  matchAcl?: string;
  /** `replay time window-size N` (TBAR, seconds) or `replay counter window-size N` (packets). */
  replay?: { kind: "time" | "counter"; window: number };
}

/** KEK ciphers of `rekey algorithm`. */
export type RekeyCipher = "3des" | "aes 128" | "aes 192" | "aes 256";

/** `redundancy` under `server local`: COOP with the other key servers of the group (coop-key-server.ts). */
export interface CoopConfig {
  /** `local priority N` (1-255; IOS's default 1): the highest becomes primary. */
  localPriority?: number;
  /** `peer address ipv4 A` lines: the other key servers. */
  readonly peers: number[];
}

/** `server local`: the key server's settings of a group. */
export interface KeyServerConfig {
  /** `rekey algorithm`: the KEK cipher (IOS's default 3des). */
  rekeyAlgorithm?: RekeyCipher;
  /** `rekey authentication mypubkey rsa LABEL`: the key that signs rekeys. */
  rekeyAuthenticationKey?: string;
  /** `rekey transport unicast`. */
  rekeyUnicast: boolean;
  /** `rekey address ipv4 ACL`: the multicast rekey's destination (the list's first permit names the group). */
  rekeyAddressAcl?: string;
  /** `rekey lifetime seconds N` (KEK lifetime; IOS's default 86400). */
  rekeyLifetimeSec?: number;
  /** `rekey retransmit N number M`. */
  rekeyRetransmit?: { periodSec: number; count: number };
  /** `sa ipsec N` policies by number. */
  readonly sas: Map<number, GdoiSaIpsecConfig>;
  /** `sa receive-only`: members install the TEKs inbound only (decrypt, send in the clear), seed 003's roll-out. */
  receiveOnly?: boolean;
  /** `authorization address ipv4 ACL`: only members whose address the list permits may register. */
  authorizationAcl?: string;
  /** `address ipv4 A` (or an interface's address): where members register and rekeys come from. */
  address?: { kind: "ip"; ip: number } | { kind: "interface"; name: string };
  /** `redundancy`: COOP with other key servers. */
  redundancy?: CoopConfig;
}

/** `crypto gdoi group NAME`. */
export interface GdoiGroupConfig {
  readonly name: string;
  /** `identity number N`. */
  identity?: number;
  /** `server local`: this router is the group's key server. */
  server: KeyServerConfig | null;
  /** `server address ipv4 A` lines in order: this router is a member registering with them. */
  readonly servers: number[];
  /** `passive`: as a member, seal outbound but accept clear traffic too (overrides the key server's receive-only). */
  passive?: boolean;
}

/** A router's GDOI groups by name. */
export class GdoiConfig {
  readonly groups = new Map<string, GdoiGroupConfig>();
}

/** A new `server local` block with IOS's defaults. */
export function newKeyServerConfig(): KeyServerConfig {
  return { rekeyUnicast: false, sas: new Map() };
}

/** IOS's default KEK lifetime (`rekey lifetime seconds`). */
export const DEFAULT_KEK_LIFETIME_SEC = 86400;
