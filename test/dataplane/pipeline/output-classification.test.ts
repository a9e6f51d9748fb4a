// The output classification seam and `qos pre-classify`: a classifier set on
// R1 records what leaves its physical interface while R1 pings R2's site
// from its own (ToS 184). Without pre-classify it sees the outer header (GRE,
// ESP), with it the inner ICMP; GRE over a crypto map needs the flag on the
// tunnel and on the map; a VTI takes it from the tunnel. The outer ToS byte
// of GRE and ESP equals the inner one (0xb8) either way. Also: the flag in
// the running config, its no form, and the caret on a non-tunnel interface.

import { afterAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { createRouter, type IosDeviceActor } from "../../../actors/router.ts";
import { renderRunningConfig } from "../../../src/config/router/running-config.ts";
import type { AclPacket } from "../../../src/dataplane/acl.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { IP_PROTO_ESP, IP_PROTO_GRE, IP_PROTO_ICMP } from "../../../src/wire/ipv4.ts";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { routerSession } from "../../config/router/router-session.ts";

const ip = (s: string) => parseIpv4Address(s)!;

const ISAKMP = (peer: string, mode: "tunnel" | "transport") => [
  "crypto isakmp policy 10",
  " encr aes",
  " authentication pre-share",
  " group 14",
  `crypto isakmp key cisco123 address ${peer}`,
  "crypto ipsec transform-set TS esp-aes esp-sha-hmac",
  ` mode ${mode}`,
];

type Variant = "gre" | "gre-over-ipsec" | "vti";

/** R1 or R2 (`me` 1 or 2) with a tunnel of the variant; `tunnelPre`/`mapPre` add qos pre-classify. */
function config(me: 1 | 2, variant: Variant, tunnelPre: boolean, mapPre: boolean): string {
  const other = me === 1 ? 2 : 1;
  const lines = [`hostname R${me}`];
  if (variant !== "gre") lines.push(...ISAKMP(`10.0.12.${other}`, variant === "vti" ? "tunnel" : "transport"));
  if (variant === "vti") lines.push("crypto ipsec profile P", " set transform-set TS");
  if (variant === "gre-over-ipsec") {
    lines.push(`ip access-list extended GRE`, ` permit gre host 10.0.12.${me} host 10.0.12.${other}`);
    lines.push("crypto map VPN 10 ipsec-isakmp", ` set peer 10.0.12.${other}`, " set transform-set TS");
    lines.push(" match address GRE");
    if (mapPre) lines.push(" qos pre-classify");
  }
  // The physical interface first, as IOS lists it: the tunnel's source has its address when the tunnel is built.
  lines.push("interface GigabitEthernet0/0", ` ip address 10.0.12.${me} 255.255.255.0`, " no shutdown");
  if (variant === "gre-over-ipsec") lines.push(" crypto map VPN");
  lines.push("interface Loopback1", ` ip address 192.168.${me}.${me} 255.255.255.0`);
  lines.push("interface Tunnel0", ` ip address 172.16.12.${me} 255.255.255.252`);
  lines.push(" tunnel source GigabitEthernet0/0", ` tunnel destination 10.0.12.${other}`);
  if (tunnelPre) lines.push(" qos pre-classify");
  if (variant === "vti") lines.push(" tunnel mode ipsec ipv4", " tunnel protection ipsec profile P");
  lines.push(`ip route 192.168.${other}.0 255.255.255.0 Tunnel0`, "end");
  return lines.join("\n");
}

const labs: Lab[] = [];
afterAll(() => {
  for (const l of labs) l.close();
});

/** What R1's classifier saw leave GigabitEthernet0/0 during 3 echoes, once the path (and IKE) is up. */
async function seen(variant: Variant, tunnelPre: boolean, mapPre = false) {
  const routers: Record<string, IosDeviceActor> = {};
  const topo = {
    strict: true,
    devices: { R1: "router", R2: "router" },
    links: [{ name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0", latencyMs: 1 }],
  };
  const configs = { R1: config(1, variant, tunnelPre, mapPre), R2: config(2, variant, tunnelPre, mapPre) };
  const lab = await Lab.create(buildLabSpec("pre-classify", "<test>", topo, configs, 1), {
    workers: 0,
    factories: {
      ...deviceFactories,
      router: (name, cfg, priv) => (routers[name] = createRouter(name, cfg, priv) as IosDeviceActor),
    },
  });
  labs.push(lab);
  // A VTI asks IKE for its SA by itself (again every 10 s); GRE over IPsec starts IKE with the first echo.
  await lab.run(30e9);
  await lab.command("R1", "ping 192.168.2.2 source Loopback1 repeat 5");
  await lab.run(2e9);
  const r1 = routers.R1!.routerDevice;
  expect(r1.configErrors).toEqual([]);
  const out: Array<{ header: AclPacket; outerTos: number; outerProtocol: number }> = [];
  r1.stack.classification.classifier = (egress, header, dgram) => {
    if (egress.name === "GigabitEthernet0/0") out.push({ header, outerTos: dgram[1]!, outerProtocol: dgram[9]! });
  };
  const ping = await lab.command("R1", "ping 192.168.2.2 source Loopback1 repeat 3 tos 184");
  expect(ping.output).toContain("Success rate is 100 percent (3/3)");
  r1.stack.classification.classifier = null;
  return out;
}

const innerEcho = (h: AclPacket) =>
  h.protocol === IP_PROTO_ICMP && h.src === ip("192.168.1.1") && h.dst === ip("192.168.2.2") && h.tos === 0xb8;

describe("output classification and qos pre-classify", () => {
  test("GRE: the classifier sees GRE between the endpoints; with qos pre-classify, the inner echo", async () => {
    const plain = await seen("gre", false);
    expect(plain.length).toBe(3);
    for (const s of plain) {
      expect(s.header).toMatchObject({ protocol: IP_PROTO_GRE, src: ip("10.0.12.1"), dst: ip("10.0.12.2") });
      expect(s.outerTos).toBe(0xb8); // ToS copied to the GRE header
    }
    const pre = await seen("gre", true);
    expect(pre.length).toBe(3);
    for (const s of pre) {
      expect(innerEcho(s.header)).toBe(true);
      expect(s.outerProtocol).toBe(IP_PROTO_GRE); // the wire is unchanged: only what the classifier sees
    }
  }, 60000);

  test("GRE over a crypto map: the flag is needed on the tunnel and on the map", async () => {
    const tunnelOnly = await seen("gre-over-ipsec", true, false);
    expect(tunnelOnly.length).toBe(3);
    for (const s of tunnelOnly) {
      expect(s.header.protocol).toBe(IP_PROTO_ESP);
      expect(s.outerTos).toBe(0xb8); // transport mode keeps the GRE header, whose ToS was copied
    }
    const both = await seen("gre-over-ipsec", true, true);
    expect(both.length).toBe(3);
    for (const s of both) {
      expect(innerEcho(s.header)).toBe(true);
      expect(s.outerProtocol).toBe(IP_PROTO_ESP);
    }
  }, 60000);

  test("VTI: ESP (tunnel mode, ToS copied outside) unless the tunnel has qos pre-classify", async () => {
    const plain = await seen("vti", false);
    expect(plain.length).toBe(3);
    for (const s of plain) {
      expect(s.header).toMatchObject({ protocol: IP_PROTO_ESP, src: ip("10.0.12.1"), dst: ip("10.0.12.2") });
      expect(s.outerTos).toBe(0xb8);
    }
    const pre = await seen("vti", true);
    expect(pre.length).toBe(3);
    for (const s of pre) expect(innerEcho(s.header)).toBe(true);
  }, 60000);

  test("qos pre-classify in the running config of the tunnel and the crypto map entry; no form; caret elsewhere", () => {
    const r = routerSession();
    r.run("configure terminal");
    r.run("interface Tunnel0");
    expect(r.run("qos pre-classify")).toBe("");
    r.run("exit");
    r.run("crypto map VPN 10 ipsec-isakmp");
    expect(r.run("qos pre-classify")).toBe("");
    r.run("exit");
    let text = renderRunningConfig(r.device);
    expect(text).toMatch(/interface Tunnel0\n(?: .*\n)* qos pre-classify\n/);
    expect(text).toMatch(/crypto map VPN 10 ipsec-isakmp\n(?: .*\n)* qos pre-classify\n/);
    r.run("interface Tunnel0");
    r.run("no qos pre-classify");
    r.run("exit");
    text = renderRunningConfig(r.device);
    expect(text).not.toMatch(/interface Tunnel0\n(?: .*\n)* qos pre-classify\n/);
    r.run("interface GigabitEthernet0/0");
    expect(r.run("qos pre-classify")).toContain("% Invalid input detected at '^' marker.");
  });
});
