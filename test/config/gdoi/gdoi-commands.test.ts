// GETVPN configuration: seed 003's key server and member blocks load, come
// back in the running config line for line (and load again to the same
// text), GDOI turns on with IOS's syslog once there is a group to serve or a
// gdoi map on an interface, `set group` is refused outside a gdoi entry, bad
// values get IOS's caret, and `no` forms undo. Seed 003's roll-out: `sa
// receive-only` and a member's `passive` round-trip, and the exec `crypto gdoi
// gm group NAME|IDENTITY ipsec direction` sets the member's IPSec SA Direction.

import { describe, expect, test } from "bun:test";
import { gdoiConfig, gdoiProtocolOf } from "../../../src/config/gdoi/gdoi-store.ts";
import { cryptoRouter } from "../crypto/crypto-router.ts";

const KS = `crypto isakmp policy 1
 encr aes
 authentication pre-share
 group 2
crypto isakmp key MYGDOIPSK address 0.0.0.0
crypto ipsec transform-set aes128 esp-aes esp-sha-hmac
 mode tunnel
crypto ipsec profile profile1
 set transform-set aes128
crypto gdoi group GDOI-GROUP1
 identity number 1234
 server local
  rekey algorithm aes 128
  rekey lifetime seconds 7200
  rekey retransmit 10 number 3
  rekey authentication mypubkey rsa MYRSAKEY
  rekey transport unicast
  authorization address ipv4 10
  sa ipsec 1
   profile profile1
   match address ipv4 getvpn-acl
   replay time window-size 5
  sa receive-only
  address ipv4 192.168.111.111
`;

const GM = `crypto isakmp policy 1
 encr aes
 authentication pre-share
 group 2
crypto isakmp key MYGDOIPSK address 192.168.111.111
crypto gdoi group GDOI-GROUP1
 identity number 1234
 server address ipv4 192.168.111.111
 server address ipv4 192.168.222.222
crypto map gdoimap 1 gdoi
 set group GDOI-GROUP1
interface GigabitEthernet1
 ip address 192.168.11.3 255.255.255.0
 crypto map gdoimap
`;

function section(text: string, head: string): string[] {
  const lines = text.split("\n");
  const at = lines.indexOf(head);
  if (at < 0) return [];
  const out = [head];
  for (const l of lines.slice(at + 1)) {
    if (!l.startsWith(" ")) break;
    out.push(l);
  }
  return out;
}

describe("crypto gdoi group", () => {
  test("a key server's group round-trips through the running config", () => {
    const r = cryptoRouter("KS1");
    expect(r.load(KS)).toEqual([]);
    const run = r.runningConfig();
    expect(section(run, "crypto gdoi group GDOI-GROUP1")).toEqual(
      KS.slice(KS.indexOf("crypto gdoi group")).trimEnd().split("\n"),
    );
    const again = cryptoRouter("KS1");
    expect(again.load(run)).toEqual([]);
    expect(again.runningConfig()).toBe(run);
    // A group with `server local` turns GDOI on.
    expect(r.ctx.consoleLines.some((l) => l.includes("%CRYPTO-6-GDOI_ON_OFF: GDOI is ON"))).toBe(true);
  });

  test("rekey address ipv4 (multicast rekeys) round-trips, names the list's group, and no undoes it", () => {
    const r = cryptoRouter("KS1");
    expect(r.load(KS.replace("  rekey transport unicast\n", "  rekey address ipv4 121\n"))).toEqual([]);
    r.run("configure terminal");
    r.run("access-list 121 permit udp host 192.168.111.111 eq 848 host 239.192.1.190 eq 848");
    r.run("end");
    const run = r.runningConfig();
    expect(section(run, "crypto gdoi group GDOI-GROUP1").slice(2, 4)).toEqual([
      " server local",
      "  rekey address ipv4 121",
    ]);
    const again = cryptoRouter("KS1");
    expect(again.load(run)).toEqual([]);
    expect(again.runningConfig()).toBe(run);
    const ks = gdoiProtocolOf(r.device);
    const c = gdoiConfig(r.device).groups.get("GDOI-GROUP1")!.server!;
    expect(ks?.keyServer.multicastAddress(c)).toEqual({ group: 0xefc001be, source: 0xc0a86f6f });
    // With unicast transport the list is kept but rekeys go to each member.
    r.run("configure terminal");
    r.run("crypto gdoi group GDOI-GROUP1");
    r.run("server local");
    r.run("rekey transport unicast");
    expect(ks?.keyServer.multicastAddress(c)).toBeNull();
    r.run("no rekey address ipv4");
    r.run("end");
    expect(r.runningConfig()).not.toContain("rekey address");
  });

  test("a member's group and gdoi map round-trip; registration starts once the map is on an interface", () => {
    const r = cryptoRouter("CE1");
    expect(r.load(GM)).toEqual([]);
    const run = r.runningConfig();
    expect(section(run, "crypto gdoi group GDOI-GROUP1")).toEqual([
      "crypto gdoi group GDOI-GROUP1",
      " identity number 1234",
      " server address ipv4 192.168.111.111",
      " server address ipv4 192.168.222.222",
    ]);
    expect(section(run, "crypto map gdoimap 1 gdoi")).toEqual(["crypto map gdoimap 1 gdoi", " set group GDOI-GROUP1"]);
    const log = r.ctx.consoleLines.join("\n");
    expect(log).toContain(
      "%CRYPTO-5-GM_REGSTER: Start registration to KS 192.168.111.111 for group GDOI-GROUP1 using address 192.168.11.3 fvrf default ivrf default ",
    );
    // The first key server is tried first; its ISAKMP SA is the registration's phase 1.
    expect(r.device.ike!.isakmpSas().map((s) => [s.peer, s.gdoi, s.state])).toEqual([
      [0xc0a86f6f, true, "MM_NO_STATE"],
    ]);
    const again = cryptoRouter("CE1");
    expect(again.load(run)).toEqual([]);
    expect(again.runningConfig()).toBe(run);
  });

  test("no forms undo; removing the map from the interface turns GDOI off", () => {
    const r = cryptoRouter("CE1");
    r.load(GM);
    r.run("configure terminal");
    r.run("crypto gdoi group GDOI-GROUP1");
    r.run("no server address ipv4 192.168.222.222");
    r.run("no identity number");
    expect(gdoiConfig(r.device).groups.get("GDOI-GROUP1")).toEqual({
      name: "GDOI-GROUP1",
      server: null,
      servers: [0xc0a86f6f],
    });
    r.run("interface GigabitEthernet1");
    r.run("no crypto map gdoimap");
    expect(r.ctx.consoleLines.some((l) => l.includes("%CRYPTO-6-GDOI_ON_OFF: GDOI is OFF"))).toBe(true);
    r.run("exit");
    r.run("no crypto map gdoimap 1 gdoi");
    r.run("no crypto gdoi group GDOI-GROUP1");
    const run = r.runningConfig();
    expect(run).not.toContain("gdoi");
  });

  test("refusals: set group outside a gdoi entry, bad values with IOS's caret", () => {
    const r = cryptoRouter("R1");
    const errors = r.load(`crypto map M 10 ipsec-isakmp
 set group G1
crypto gdoi group G1
 identity number -5
 server local
  rekey algorithm aes 100
  sa ipsec 0
  sa ipsec 1
   replay counter window-size 100
   replay time window-size 5
hostname AFTER
`);
    expect(errors).toEqual([
      " set group G1\n% set group is only valid in a gdoi crypto map entry",
      " identity number -5\n                 ^\n% Invalid input detected at '^' marker.",
      "  rekey algorithm aes 100\n                       ^\n% Invalid input detected at '^' marker.",
      "  sa ipsec 0\n           ^\n% Invalid input detected at '^' marker.",
      "   replay counter window-size 100\n                                ^\n% Invalid input detected at '^' marker.",
    ]);
    expect(r.device.hostname).toBe("AFTER");
    expect(gdoiConfig(r.device).groups.get("G1")!.server!.sas.get(1)!.replay).toEqual({ kind: "time", window: 5 });
  });

  test("roll-out: passive round-trips; ipsec direction overrides it; show crypto gdoi prints the direction", () => {
    const r = cryptoRouter("CE1");
    expect(r.load(`${GM}crypto gdoi group GDOI-GROUP1\n passive\n`)).toEqual([]);
    const run = r.runningConfig();
    expect(section(run, "crypto gdoi group GDOI-GROUP1")).toContain(" passive");
    const again = cryptoRouter("CE1");
    expect(again.load(run)).toEqual([]);
    expect(again.runningConfig()).toBe(run);
    const direction = () => r.run("show crypto gdoi").match(/IPSec SA Direction +: (.*)/)?.[1];
    expect(direction()).toBe("Inbound Optional");
    // Seed 003 names the group by its identity number.
    expect(r.run("crypto gdoi gm group 1234 ipsec direction inbound only")).toBe("");
    expect(direction()).toBe("Inbound Only");
    expect(r.run("crypto gdoi gm group GDOI-GROUP1 ipsec direction both")).toBe("");
    expect(direction()).toBe("Both");
    expect(r.run("crypto gdoi gm group OTHER ipsec direction both")).toContain(
      "% Group OTHER is not registered on this group member",
    );
    expect(r.run("crypto gdoi gm group GDOI-GROUP1 ipsec direction inbound")).toContain("% Incomplete command.");
    r.run("configure terminal");
    r.run("crypto gdoi group GDOI-GROUP1");
    r.run("no passive");
    r.run("end");
    expect(gdoiConfig(r.device).groups.get("GDOI-GROUP1")!.passive).toBeUndefined();
  });

  test("roll-out: a key server's sa receive-only shows as Inbound Only, no sa receive-only as Both", () => {
    const r = cryptoRouter("KS1");
    r.load(KS);
    expect(gdoiConfig(r.device).groups.get("GDOI-GROUP1")!.server!.receiveOnly).toBe(true);
    r.run("configure terminal");
    r.run("crypto gdoi group GDOI-GROUP1");
    r.run("server local");
    r.run("no sa receive-only");
    r.run("end");
    expect(r.runningConfig()).not.toContain("receive-only");
  });
});
