// The tunnel interface commands through the real command table: `interface
// Tunnel0` created on first reference, every tunnel command and its no form
// reaching the tunnel's configuration and the running config (IOS's order,
// defaults omitted, loading it back gives the same text), the caret on a
// physical interface, keepalive refused on non-tunnels, the line protocol
// following the source address and the route to the destination, and the
// IP MTU following the key (1476 without, 1472 with).

import { describe, expect, test } from "bun:test";
import { renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { renderShowInterfaces, renderShowIpInterface } from "../../../src/config/router/show-interfaces.ts";
import { routerSession } from "./router-session.ts";

function tunnelLab() {
  const r = routerSession();
  const errors = r.load([
    "interface Loopback0",
    " ip address 1.1.1.1 255.255.255.255",
    "interface Tunnel0",
    " ip address 172.16.0.1 255.255.255.252",
    " tunnel source Loopback0",
    " tunnel destination 3.3.3.3",
  ]);
  expect(errors).toEqual([]);
  return r;
}

const tunnelBlock = (r: ReturnType<typeof routerSession>) => renderRunningConfig(r.device, "Tunnel0");

describe("tunnel commands", () => {
  test("interface Tunnel0 is created up/down and comes up once its destination is routable", () => {
    const r = tunnelLab();
    const t = r.device.findInterface("Tunnel0")!;
    expect(t.kind).toBe("tunnel");
    expect([t.status, t.lineProtocolUp]).toEqual(["up", false]);
    expect(renderShowInterfaces(r.device, t)).toContain("Tunnel0 is up, line protocol is down");
    r.load([
      "interface GigabitEthernet0/0",
      " ip address 10.0.0.1 255.255.255.0",
      " no shutdown",
      "ip route 3.3.3.0 255.255.255.0 10.0.0.2",
    ]);
    expect(t.lineProtocolUp).toBe(false); // Gi0/0 has no carrier yet: no route to 3.3.3.3
    const gi = r.device.findInterface("Gi0/0")!;
    gi.carrier = true;
    r.device.interfaceChanged(gi, true);
    expect(t.lineProtocolUp).toBe(true);
    // The source going away takes the tunnel down.
    r.load(["interface Loopback0", " shutdown"]);
    expect(t.lineProtocolUp).toBe(false);
    r.load(["interface Loopback0", " no shutdown"]);
    expect(t.lineProtocolUp).toBe(true);
    const show = renderShowInterfaces(r.device, t);
    for (const line of [
      "Tunnel0 is up, line protocol is up",
      "  Hardware is Tunnel",
      "  MTU 17916 bytes, BW 100 Kbit/sec, DLY 50000 usec,",
      "  Tunnel source 1.1.1.1 (Loopback0), destination 3.3.3.3",
      "  Tunnel protocol/transport GRE/IP",
      "    Key disabled, sequencing disabled",
      "  Tunnel transport MTU 1476 bytes",
    ])
      expect(show).toContain(`${line}\n`);
    expect(renderShowIpInterface(r.device, t)).toContain("  MTU is 1476 bytes\n");
    expect(t.ipMtu).toBe(1476);
    r.load(["interface Tunnel0", " tunnel key 1000"]);
    expect(t.ipMtu).toBe(1472);
    expect(renderShowInterfaces(r.device, t)).toContain("    Key 0x3E8, sequencing disabled\n");
    r.load(["interface Tunnel0", " ip mtu 1400"]);
    expect(t.ipMtu).toBe(1400);
  });

  test("every command reaches the running config in IOS's order, and no forms take it back", () => {
    const r = tunnelLab();
    r.load(["interface Tunnel0", " tunnel key 5", " tunnel path-mtu-discovery", " keepalive", " tunnel mode gre ip"]);
    const text = tunnelBlock(r);
    expect(text).toContain(
      [
        "interface Tunnel0",
        " ip address 172.16.0.1 255.255.255.252",
        " keepalive 10 3",
        " tunnel source Loopback0",
        " tunnel destination 3.3.3.3",
        " tunnel key 5",
        " tunnel path-mtu-discovery",
        "end",
      ].join("\n"),
    );
    const t = r.device.findInterface("Tunnel0")!;
    expect(t.config.tunnel).toMatchObject({ key: 5, pathMtuDiscovery: true, keepalive: { periodSec: 10, retries: 3 } });
    // The running config loads back into a fresh router as the same text.
    const again = routerSession();
    const lines = renderRunningConfig(r.device).split("\n");
    expect(again.load(lines.filter((l) => !/^(Building|Current) configuration/.test(l)))).toEqual([]);
    expect(tunnelBlock(again)).toBe(text);
    r.load([
      "interface Tunnel0",
      " keepalive 2 5",
      " no tunnel key",
      " no tunnel path-mtu-discovery",
      " tunnel source 9.9.9.9",
    ]);
    expect(tunnelBlock(r)).toContain(" keepalive 2 5\n tunnel source 9.9.9.9\n tunnel destination 3.3.3.3\nend");
    r.load(["interface Tunnel0", " no keepalive", " no tunnel source", " no tunnel destination", " no tunnel mode"]);
    expect(tunnelBlock(r)).toContain(" ip address 172.16.0.1 255.255.255.252\nend");
    expect(t.config.tunnel).toEqual({ mode: "gre-ip", pathMtuDiscovery: false });
  });

  test("tunnel commands on a physical interface get IOS's caret; keepalive there is refused", () => {
    const r = routerSession();
    r.run("configure terminal");
    r.run("interface GigabitEthernet0/0");
    // The caret under `tunnel`, after the 14 columns of the R1(config-if)# prompt.
    expect(r.run("tunnel destination 1.1.1.1")).toBe(`${" ".repeat(14)}^\n% Invalid input detected at '^' marker.\n`);
    expect(r.run("keepalive 1")).toContain("% wanlab sends keepalives on tunnel interfaces only");
    expect(r.device.findInterface("Gi0/0")!.config.tunnel).toBeUndefined();
    // An unknown mode is not offered.
    r.run("interface Tunnel5");
    expect(r.run("tunnel mode mpls")).toContain("% Invalid input detected at '^' marker.");
    expect(r.run("tunnel source Loopback9")).toBe("% Interface Loopback9 does not exist\n");
  });
});

describe("crypto ipsec profile and tunnel protection", () => {
  test("the profile and the tunnel line round-trip; IOS's map is built for the tunnel and kept out of the config", () => {
    const r = tunnelLab();
    expect(
      r.load([
        "crypto ipsec transform-set TS esp-aes esp-sha-hmac",
        " mode transport",
        "crypto ipsec profile P",
        " set transform-set TS",
        " set pfs group14",
        " set security-association lifetime seconds 1800",
        "interface Tunnel0",
        " tunnel protection ipsec profile P",
      ]),
    ).toEqual([]);
    const map = r.device.crypto.cryptoMaps.get("Tunnel0-head-0")!;
    expect(map).toMatchObject({ tunnel: "Tunnel0", localAddressInterface: "Loopback0" });
    expect(map.entries[0]).toMatchObject({
      peers: [0x03030303],
      transformSets: ["TS"],
      pfsGroup: 14,
      lifetimeSec: 1800,
    });
    // The proxy identity is the tunnel's own GRE flow.
    const acl = map.entries[0]!.matchAcl!;
    expect(acl.evaluate({ src: 0x01010101, dst: 0x03030303, protocol: 47, tos: 0 }).action).toBe("permit");
    expect(acl.evaluate({ src: 0x01010101, dst: 0x03030303, protocol: 1, tos: 0 }).action).not.toBe("permit");
    const text = renderRunningConfig(r.device);
    expect(text).toContain(
      "crypto ipsec profile P\n set security-association lifetime seconds 1800\n set transform-set TS\n set pfs group14\n!",
    );
    expect(text).toContain(" tunnel destination 3.3.3.3\n tunnel protection ipsec profile P\n");
    expect(text).not.toContain("Tunnel0-head-0");
    const again = routerSession();
    const lines = text.split("\n").filter((l) => !/^(Building|Current) configuration/.test(l));
    expect(again.load(lines)).toEqual([]);
    expect(renderRunningConfig(again.device)).toBe(text);
    // The destination moves: the map follows.
    r.load(["interface Tunnel0", " tunnel destination 4.4.4.4"]);
    expect(r.device.crypto.cryptoMaps.get("Tunnel0-head-0")!.entries[0]!.peers).toEqual([0x04040404]);
    // In use: the profile cannot go; without protection the map goes.
    r.run("configure terminal");
    expect(r.run("no crypto ipsec profile P")).toBe("% IPSec profile P is in use by Tunnel0\n");
    r.load(["interface Tunnel0", " no tunnel protection ipsec profile P"]);
    expect(r.device.crypto.cryptoMaps.has("Tunnel0-head-0")).toBe(false);
    expect(r.load(["no crypto ipsec profile P"])).toEqual([]);
    expect(r.device.crypto.ipsecProfiles.size).toBe(0);
    expect(r.load(["interface Tunnel0", " tunnel protection ipsec profile NOPE"])).toEqual([
      expect.stringContaining("% IPSec profile NOPE does not exist"),
    ]);
  });
});

describe("tunnel mode ipsec ipv4 (VTI)", () => {
  test("the IP MTU is what ESP tunnel mode leaves of the transport MTU (RFC 4303), per transform set", () => {
    const r = tunnelLab();
    expect(
      r.load([
        "crypto ipsec transform-set AES esp-aes esp-sha-hmac",
        "crypto ipsec transform-set TDES esp-3des esp-sha-hmac",
        "crypto ipsec transform-set AES256 esp-aes 256 esp-sha256-hmac",
        "crypto ipsec profile V",
        " set transform-set AES",
        "interface Tunnel0",
        " tunnel mode ipsec ipv4",
        " tunnel protection ipsec profile V",
      ]),
    ).toEqual([]);
    const t = r.device.findInterface("Tunnel0")!;
    // 1500 - 20 - 8 - 16 (IV) - 12 (ICV) = 1444, down to AES's 16-byte blocks = 1440, less the 2-byte trailer.
    expect(t.ipMtu).toBe(1438);
    expect(renderShowIpInterface(r.device, t)).toContain("  MTU is 1438 bytes\n");
    r.load(["crypto ipsec profile V", " set transform-set TDES"]);
    expect(t.ipMtu).toBe(1446); // 1500 - 20 - 8 - 8 - 12 = 1452, down to 3DES's 8-byte blocks = 1448, - 2
    r.load(["crypto ipsec profile V", " set transform-set AES256"]);
    expect(t.ipMtu).toBe(1438); // 1500 - 20 - 8 - 16 - 16 = 1440, - 2
    // A VTI's map covers everything and brings what it opens in through the tunnel.
    const map = r.device.crypto.cryptoMaps.get("Tunnel0-head-0")!;
    expect(map.reinjectVia).toBe("Tunnel0");
    expect(map.entries[0]!.matchAcl!.evaluate({ src: 1, dst: 2, protocol: 6, tos: 0 }).action).toBe("permit");
    // No SA yet: line protocol down, as IOS shows a VTI until IPsec is up.
    expect([t.status, t.lineProtocolUp]).toEqual(["up", false]);
    expect(renderRunningConfig(r.device, "Tunnel0")).toContain(
      " tunnel destination 3.3.3.3\n tunnel mode ipsec ipv4\n tunnel protection ipsec profile V\n",
    );
    expect(renderShowInterfaces(r.device, t)).toContain("  Tunnel protocol/transport IPSEC/IP\n");
    // Back to GRE: the GRE MTU and the GRE flow again.
    r.load(["interface Tunnel0", " tunnel mode gre ip"]);
    expect(t.ipMtu).toBe(1476);
    expect(r.device.crypto.cryptoMaps.get("Tunnel0-head-0")!.reinjectVia).toBeUndefined();
  });
});
