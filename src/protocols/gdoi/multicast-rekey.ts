// Multicast rekeys (`rekey address ipv4 ACL` without `rekey transport
// unicast`): the key server sends each GROUPKEY-PUSH once, to the multicast
// group the access list names (IOS reads the list's first permit: `permit udp
// host KS eq 848 host 239.192.1.190 eq 848`), and members that hear it install
// it without an acknowledgement. wanlab routes no multicast (there is no PIM),
// so only members on a segment the key server sends on hear it; the others
// register again when their TEKs run out, as IOS members do when a multicast
// rekey is lost.

import type { AccessList } from "../../dataplane/acl.ts";

/** Where a group's multicast rekeys go, from its `rekey address ipv4` list. */
export interface MulticastRekeyAddress {
  /** The class D destination. */
  group: number;
  /** The list's source when it names one host (the source of rekeys without `address ipv4`). */
  source: number | null;
}

/** The destination the list's first permit names, or null when that is no single multicast address. */
export function multicastRekeyAddress(acl: AccessList | undefined): MulticastRekeyAddress | null {
  const permit = acl?.entries.find((e) => e.action === "permit");
  const d = permit?.destination;
  if (permit === undefined || d === undefined || d.wildcard !== 0 || d.address >>> 28 !== 0xe) return null;
  return { group: d.address >>> 0, source: permit.source.wildcard === 0 ? permit.source.address >>> 0 : null };
}
