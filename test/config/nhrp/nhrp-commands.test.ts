// The NHRP interface commands through the real command table: every `ip
// nhrp` line prints back in the running config in IOS's order and loads back
// the same, the no forms undo them, `tunnel mode gre multipoint` prints and
// makes the tunnel an mGRE interface that is up with a source alone, NHRP
// starts with the first network-id (static maps and `nhs A nbma B` in the cache, the NHS client
// waiting for a reachable NBMA address) and stops with the last, and the
// commands get the caret on a physical interface while the rest loads.

import { describe, expect, test } from "bun:test";
import { nhrpProcess } from "../../../src/config/nhrp/nhrp-store.ts";
import { renderShowDmvpn, renderShowIpNhrp, renderShowIpNhrpNhs } from "../../../src/config/nhrp/show-nhrp.ts";
import { renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { renderShowInterfaces } from "../../../src/config/router/show-interfaces.ts";
import { tunnelOf } from "../../../src/dataplane/tunnel/gre-tunnels.ts";
import { routerSession } from "../router/router-session.ts";

const SPOKE = [
  "interface GigabitEthernet0/0",
  " ip address 169.254.101.1 255.255.255.0",
  " no shutdown",
  "interface Tunnel0",
  " ip address 10.1.1.1 255.255.255.0",
  " ip nhrp authentication donttell",
  " ip nhrp map 10.1.1.5 169.254.105.5",
  " ip nhrp map multicast 169.254.105.5",
  " ip nhrp network-id 99",
  " ip nhrp holdtime 300",
  " ip nhrp nhs 10.1.1.5",
  " ip nhrp nhs 10.1.1.6 nbma 169.254.106.6 multicast",
  " ip nhrp registration timeout 60",
  " ip nhrp redirect",
  " ip nhrp shortcut",
  " tunnel source GigabitEthernet0/0",
  " tunnel mode gre multipoint",
  " tunnel key 100000",
];

const block = (r: ReturnType<typeof routerSession>) => renderRunningConfig(r.device, "Tunnel0");

describe("nhrp commands", () => {
  test("every ip nhrp line prints back in IOS's order and loads back the same", () => {
    const r = routerSession();
    expect(r.load(SPOKE)).toEqual([]);
    const text = block(r);
    expect(text).toContain(
      [
        "interface Tunnel0",
        " ip address 10.1.1.1 255.255.255.0",
        " ip nhrp authentication donttell",
        " ip nhrp map 10.1.1.5 169.254.105.5",
        " ip nhrp map multicast 169.254.105.5",
        " ip nhrp network-id 99",
        " ip nhrp holdtime 300",
        " ip nhrp nhs 10.1.1.5",
        " ip nhrp nhs 10.1.1.6 nbma 169.254.106.6 multicast",
        " ip nhrp registration timeout 60",
        " ip nhrp redirect",
        " ip nhrp shortcut",
        " tunnel source GigabitEthernet0/0",
        " tunnel key 100000",
        " tunnel mode gre multipoint",
      ].join("\n"),
    );
    const again = routerSession();
    const lines = text.split("\n").filter((l) => l.startsWith("interface") || l.startsWith(" "));
    expect(again.load([...SPOKE.slice(0, 3), ...lines])).toEqual([]);
    expect(block(again)).toBe(text);
  });

  test("an mGRE tunnel is up with a source alone; NHRP runs with a network-id and knows its static maps", () => {
    const r = routerSession();
    r.load(SPOKE);
    const t = r.device.findInterface("Tunnel0")!;
    r.device.findInterface("Gi0/0")!.carrier = true;
    r.device.interfaceChanged(r.device.findInterface("Gi0/0")!, true);
    expect(tunnelOf(t)?.isMultipoint()).toBe(true);
    expect(t.lineProtocolUp).toBe(true);
    expect(t.ipMtu).toBe(1472); // 1500 less IPv4 (20), GRE (4) and the key (4)
    const show = renderShowInterfaces(r.device, t);
    expect(show).toContain("  Tunnel source 169.254.101.1 (GigabitEthernet0/0)\n");
    expect(show).toContain("  Tunnel protocol/transport multi-GRE/IP\n    Key 0x186A0, sequencing disabled");
    const nhrp = nhrpProcess(r.device)!.on(t)!;
    expect(nhrp.cache.get(0x0a010105)?.nbma).toBe(0xa9fe6905);
    expect([...nhrp.multicastNbmas()].sort()).toEqual([0xa9fe6905, 0xa9fe6a06]);
    expect(renderShowIpNhrp(r.device)).toBe(
      [
        "10.1.1.5/32 via 10.1.1.5",
        "   Tunnel0 created 00:00:00, never expire",
        "   Type: static, Flags:",
        "   NBMA address: 169.254.105.5",
        // `nhs A nbma B` maps A to B statically too.
        "10.1.1.6/32 via 10.1.1.6",
        "   Tunnel0 created 00:00:00, never expire",
        "   Type: static, Flags:",
        "   NBMA address: 169.254.106.6",
        "",
      ].join("\n"),
    );
    // Nothing answered yet: both servers are expecting replies (or waiting), neither is up.
    expect(renderShowIpNhrpNhs(r.device, false)).toMatch(
      /Tunnel0:\n10\.1\.1\.5 {2}[EW] priority = 0 cluster = 0\n10\.1\.1\.6 {2}[EW] /,
    );
    expect(renderShowDmvpn(r.device)).toContain("Type:Spoke, NHRP Peers:2,");
    expect(renderShowDmvpn(r.device)).toMatch(/1 169\.254\.105\.5\s+10\.1\.1\.5\s+NHRP\s+\d\d:\d\d:\d\d\s+S/);
  });

  test("the no forms undo each line; the last network-id gone stops NHRP", () => {
    const r = routerSession();
    r.load(SPOKE);
    r.load([
      "interface Tunnel0",
      " no ip nhrp authentication",
      " no ip nhrp map 10.1.1.5 169.254.105.5",
      " no ip nhrp map multicast 169.254.105.5",
      " no ip nhrp holdtime",
      " no ip nhrp nhs 10.1.1.6",
      " no ip nhrp registration timeout",
      " no ip nhrp redirect",
      " no ip nhrp shortcut",
    ]);
    const text = block(r);
    expect(text).toContain(" ip nhrp network-id 99\n ip nhrp nhs 10.1.1.5\n tunnel source");
    const t = r.device.findInterface("Tunnel0")!;
    expect(nhrpProcess(r.device)!.on(t)!.cache.size).toBe(0);
    r.load(["interface Tunnel0", " no ip nhrp network-id"]);
    expect(nhrpProcess(r.device)).toBeUndefined();
    expect(tunnelOf(t)!.resolver).toBeNull();
    r.load(["interface Tunnel0", " tunnel mode gre ip"]);
    expect(block(r)).not.toContain("multipoint");
  });

  test("on a physical interface the caret points at the command; the rest of the config loads", () => {
    const r = routerSession();
    const errors = r.load(["interface GigabitEthernet0/0", " ip nhrp network-id 5", " description still here"]);
    expect(errors.length).toBe(1);
    expect(errors[0]).toContain("% Invalid input detected at '^' marker.");
    expect(renderRunningConfig(r.device, "GigabitEthernet0/0")).toContain(" description still here");
    expect(nhrpProcess(r.device)).toBeUndefined();
    expect(r.load(["interface Tunnel0", " ip nhrp network-id 0"]).length).toBe(1);
    expect(r.load(["interface Tunnel0", " ip nhrp nhs 10.1.1.300"]).length).toBe(1);
  });

  test("tunnel protection on an mGRE tunnel (IPsec over DMVPN) loads in either order, with and without shared", () => {
    const r = routerSession();
    const crypto = [
      "crypto ipsec transform-set TS esp-aes esp-sha-hmac",
      " mode transport",
      "crypto ipsec profile P",
      " set transform-set TS",
    ];
    // The map IOS builds covers GRE to any NBMA peer; a packet's destination picks its peer.
    expect(r.load([...crypto, ...SPOKE, " tunnel protection ipsec profile P"])).toEqual([]);
    expect(block(r)).toContain(" tunnel mode gre multipoint\n tunnel protection ipsec profile P\n");
    const map = r.device.crypto.cryptoMaps.get("Tunnel0-head-0");
    expect(map?.multipoint).toBe(true);
    expect(map?.entries.length).toBe(1);
    expect(map?.entries[0]?.peers).toEqual([]);
    r.run("configure terminal");
    r.run("interface Tunnel0");
    expect(r.run("tunnel protection ipsec profile P shared")).toBe("");
    expect(block(r)).toContain(" tunnel protection ipsec profile P shared\n");
    // Point-to-point GRE and back: the map follows the mode.
    r.run("tunnel mode gre ip");
    r.run("tunnel destination 169.254.105.5");
    expect(r.device.crypto.cryptoMaps.get("Tunnel0-head-0")?.multipoint).toBeUndefined();
    expect(r.run("tunnel mode gre multipoint")).toBe("");
    expect(r.device.crypto.cryptoMaps.get("Tunnel0-head-0")?.multipoint).toBe(true);
    r.run("no tunnel protection ipsec profile P shared");
    expect(block(r)).not.toContain("tunnel protection");
    expect(r.device.crypto.cryptoMaps.has("Tunnel0-head-0")).toBe(false);
  });

  test("shared protection: two mGRE tunnels on one source use the first tunnel's map", () => {
    const r = routerSession();
    const tunnel = (n: number, key: number) => [
      `interface Tunnel${n}`,
      ` ip address 10.${n}.1.1 255.255.255.0`,
      " tunnel source GigabitEthernet0/0",
      " tunnel mode gre multipoint",
      ` tunnel key ${key}`,
      " tunnel protection ipsec profile P shared",
    ];
    expect(
      r.load([
        "crypto ipsec profile P",
        "interface GigabitEthernet0/0",
        " ip address 169.254.101.1 255.255.255.0",
        ...tunnel(1, 1),
        ...tunnel(2, 2),
      ]),
    ).toEqual([]);
    const t2 = r.device.stack.interface("Tunnel2")!;
    expect(t2.config.tunnel?.protection?.map).toBe("Tunnel1-head-0");
    expect(r.device.crypto.cryptoMaps.has("Tunnel2-head-0")).toBe(false);
  });
});
