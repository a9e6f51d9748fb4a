// `authorization address ipv4 ACL` under a key server's `server local`: only
// members whose registration address the list permits may register (seed
// 003's "Authorization lists to the rescue!"). A refused member gets no
// answer to its GROUPKEY-PULL and the key server logs
// %GDOI-1-UNAUTHORIZED_IPADDR.

import type { AccessList } from "../../dataplane/acl.ts";

/**
 * Whether a member registering from `member` to `keyServer` is authorized: the list's first
 * matching entry decides, nothing matching is its implicit deny (the entry's
 * hit count rises, as `show access-lists` shows on IOS). Without
 * `authorization` every member is; a named list that does not exist permits
 * everyone too, as IOS treats references to undefined lists.
 */
export function memberAuthorized(
  list: AccessList | undefined,
  configured: boolean,
  member: number,
  keyServer: number,
): boolean {
  if (!configured || list === undefined) return true;
  // The registration as a packet: GDOI on UDP 848 from the member to the key server (a standard list reads the source).
  const packet = {
    src: member >>> 0,
    dst: keyServer >>> 0,
    protocol: UDP,
    srcPort: GDOI_PORT,
    dstPort: GDOI_PORT,
    tos: 0,
  };
  return list.evaluate(packet).action === "permit";
}

const UDP = 17;
const GDOI_PORT = 848;
