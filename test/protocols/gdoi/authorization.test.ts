// `authorization address ipv4 ACL` (seed 003): the key server registers only
// members whose address the list permits. The decision reads the registration
// as GDOI's UDP 848 from the member to the key server, so standard and
// extended lists both work; the refusal is logged as IOS words it.

import { describe, expect, test } from "bun:test";
import { gdoiSyslogText } from "../../../src/config/gdoi/gdoi-syslog.ts";
import { AccessList, type AclKind } from "../../../src/dataplane/acl.ts";
import { parseAce, tokenize } from "../../../src/dataplane/acl-parse.ts";
import { memberAuthorized } from "../../../src/protocols/gdoi/authorization.ts";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";

const ip = (s: string) => parseIpv4Address(s)! >>> 0;
const KS = ip("192.168.111.111");

function list(name: string, kind: AclKind, lines: string[]): AccessList {
  const acl = new AccessList(name, kind);
  for (const l of lines) {
    const r = parseAce(kind, tokenize(l));
    if (!r.ok) throw new Error(l);
    acl.add(r.spec);
  }
  return acl;
}

describe("authorization address ipv4", () => {
  test("seed 003's list 10: CE1 and CE2 register, CE4 is refused by the implicit deny", () => {
    const acl10 = list("10", "standard", ["permit 192.168.11.3", "permit 192.168.12.3"]);
    expect(memberAuthorized(acl10, true, ip("192.168.11.3"), KS)).toBe(true);
    expect(memberAuthorized(acl10, true, ip("192.168.12.3"), KS)).toBe(true);
    expect(memberAuthorized(acl10, true, ip("192.168.14.2"), KS)).toBe(false);
    // The deciding entries count their hits, as show access-lists prints them.
    expect(acl10.entries.map((e) => e.matches)).toEqual([1, 1]);
  });

  test("the first matching entry decides: a deny before a broader permit refuses", () => {
    const acl = list("GMS", "standard", ["deny 192.168.14.2", "permit 192.168.0.0 0.0.255.255"]);
    expect(memberAuthorized(acl, true, ip("192.168.14.2"), KS)).toBe(false);
    expect(memberAuthorized(acl, true, ip("192.168.13.2"), KS)).toBe(true);
    expect(memberAuthorized(acl, true, ip("10.0.0.1"), KS)).toBe(false);
  });

  test("an extended list sees the registration as UDP 848 from the member to the key server", () => {
    const acl = list("GMS", "extended", [
      "permit udp host 192.168.13.2 host 192.168.111.111 eq 848",
      "permit tcp host 192.168.14.2 any",
    ]);
    expect(memberAuthorized(acl, true, ip("192.168.13.2"), KS)).toBe(true);
    expect(memberAuthorized(acl, true, ip("192.168.13.2"), ip("192.168.222.222"))).toBe(false);
    expect(memberAuthorized(acl, true, ip("192.168.14.2"), KS)).toBe(false);
  });

  test("without authorization, or naming a list that does not exist, every member may register", () => {
    const acl10 = list("10", "standard", ["permit 192.168.11.3"]);
    expect(memberAuthorized(acl10, false, ip("192.168.14.2"), KS)).toBe(true);
    expect(memberAuthorized(undefined, true, ip("192.168.14.2"), KS)).toBe(true);
    expect(memberAuthorized(undefined, false, ip("192.168.14.2"), KS)).toBe(true);
  });

  test("the key server's refusal in seed 003's words", () => {
    expect(gdoiSyslogText({ kind: "unauthorizedMember", group: "GDOI-GROUP1", member: ip("192.168.14.2") })).toBe(
      "%GDOI-1-UNAUTHORIZED_IPADDR: Group GDOI-GROUP1 received registration from unauthorized ip address: 192.168.14.2",
    );
  });
});
