// What a VTI refuses instead of storing without effect: keepalive and tunnel
// key (GRE-only), a crypto map on the VTI, and a crypto map on the interface
// its ESP leaves by whose ACL would take that ESP (VTI and crypto map on the
// same path are mutually exclusive, seed 001); switching a keyed tunnel with
// keepalives to IPsec mode drops both and says so. GRE tunnels keep all of it.

import { describe, expect, test } from "bun:test";
import { renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { routerSession } from "./router-session.ts";

const BASE = [
  "crypto isakmp policy 10",
  " encr aes",
  " authentication pre-share",
  " group 14",
  "crypto isakmp key cisco123 address 10.0.0.2",
  "crypto ipsec transform-set TS esp-aes esp-sha-hmac",
  "crypto ipsec profile P",
  " set transform-set TS",
  "ip access-list extended ALL",
  " permit ip any any",
  "ip access-list extended GRE",
  " permit gre host 10.0.0.1 host 10.0.0.2",
  "crypto map VPN 10 ipsec-isakmp",
  " set peer 10.0.0.2",
  " set transform-set TS",
  " match address ALL",
  "crypto map GREMAP 10 ipsec-isakmp",
  " set peer 10.0.0.2",
  " set transform-set TS",
  " match address GRE",
  "interface GigabitEthernet0/0",
  " ip address 10.0.0.1 255.255.255.0",
  " no shutdown",
];

const VTI = [
  "interface Tunnel0",
  " ip address 172.16.0.1 255.255.255.252",
  " tunnel source GigabitEthernet0/0",
  " tunnel destination 10.0.0.2",
  " tunnel mode ipsec ipv4",
  " tunnel protection ipsec profile P",
];

function vtiRouter() {
  const r = routerSession();
  expect(r.load([...BASE, ...VTI])).toEqual([]);
  return r;
}

function tunnelLines(r: ReturnType<typeof routerSession>): string[] {
  const text = renderRunningConfig(r.device);
  const start = text.indexOf("interface Tunnel0");
  return text
    .slice(start, text.indexOf("!", start))
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

describe("VTI refusals", () => {
  test("keepalive and tunnel key are refused on a VTI, and the running config keeps neither", () => {
    const r = vtiRouter();
    r.run("configure terminal");
    r.run("interface Tunnel0");
    expect(r.run("keepalive 5 3")).toContain("GRE keepalives are not supported");
    expect(r.run("tunnel key 7")).toContain("no GRE header to carry a tunnel key");
    const lines = tunnelLines(r);
    expect(lines.some((l) => l.includes("keepalive"))).toBe(false);
    expect(lines.some((l) => l.includes("tunnel key"))).toBe(false);
    expect(r.device.stack.interface("Tunnel0")!.config.tunnel!.keepalive).toBeUndefined();
    // `no keepalive` and `keepalive 0` say nothing: there is nothing to turn off.
    expect(r.run("no keepalive")).toBe("");
    expect(r.run("keepalive 0")).toBe("");
  });

  test("in a .cfg the refused lines are load errors naming the tunnel; the rest loads", () => {
    const r = routerSession();
    const errors = r.load([...BASE, ...VTI, " keepalive 10 3", " tunnel key 5", " ip mtu 1400"]);
    expect(errors.length).toBe(2);
    expect(errors[0]).toContain("Tunnel0 is in IPsec mode");
    expect(r.device.stack.interface("Tunnel0")!.config.ipMtu).toBe(1400);
  });

  test("a GRE tunnel keeps keepalive and key; switching it to IPsec mode drops both and says so", () => {
    const r = routerSession();
    expect(
      r.load([
        ...BASE,
        "interface Tunnel0",
        " tunnel source GigabitEthernet0/0",
        " tunnel destination 10.0.0.2",
        " keepalive 5 3",
        " tunnel key 9",
      ]),
    ).toEqual([]);
    expect(tunnelLines(r)).toContain("keepalive 5 3");
    expect(tunnelLines(r)).toContain("tunnel key 9");
    r.run("configure terminal");
    r.run("interface Tunnel0");
    const said = r.run("tunnel mode ipsec ipv4");
    expect(said).toContain("Tunnel0: keepalive removed");
    expect(said).toContain("Tunnel0: tunnel key removed");
    const lines = tunnelLines(r);
    expect(lines).toContain("tunnel mode ipsec ipv4");
    expect(lines.some((l) => l.includes("keepalive") || l.includes("tunnel key"))).toBe(false);
  });

  test("a crypto map on a VTI is refused", () => {
    const r = vtiRouter();
    r.run("configure terminal");
    r.run("interface Tunnel0");
    expect(r.run("crypto map VPN")).toContain("protected by tunnel protection, not a crypto map");
    expect(r.device.stack.interface("Tunnel0")!.config.cryptoMap).toBeUndefined();
  });

  test("a crypto map on the VTI's egress that would take its ESP is refused; one that would not is accepted", () => {
    const r = vtiRouter();
    r.run("configure terminal");
    r.run("interface GigabitEthernet0/0");
    expect(r.run("crypto map VPN")).toContain(
      "% Crypto map VPN on GigabitEthernet0/0 would also protect Tunnel0's IPsec traffic (10.0.0.1 to 10.0.0.2)",
    );
    expect(r.device.stack.interface("GigabitEthernet0/0")!.config.cryptoMap).toBeUndefined();
    // A map protecting only GRE never sees the VTI's ESP.
    expect(r.run("crypto map GREMAP")).toBe("");
    expect(r.device.stack.interface("GigabitEthernet0/0")!.config.cryptoMap).toBe("GREMAP");
  });

  test("making a tunnel a VTI while such a crypto map sits on its path is refused, the tunnel stays GRE", () => {
    const r = routerSession();
    expect(
      r.load([
        ...BASE,
        " crypto map VPN",
        "interface Tunnel0",
        " tunnel source GigabitEthernet0/0",
        " tunnel destination 10.0.0.2",
      ]),
    ).toEqual([]);
    r.run("configure terminal");
    r.run("interface Tunnel0");
    expect(r.run("tunnel mode ipsec ipv4")).toContain("mutually exclusive");
    expect(r.device.stack.interface("Tunnel0")!.config.tunnel!.mode).toBe("gre-ip");
    r.run("exit");
    r.run("interface GigabitEthernet0/0");
    r.run("no crypto map");
    r.run("interface Tunnel0");
    expect(r.run("tunnel mode ipsec ipv4")).toBe("");
    expect(r.device.stack.interface("Tunnel0")!.config.tunnel!.mode).toBe("ipsec-ipv4");
  });
});
