// show ip cef, show ip cef <prefix> and exact-route: FIB rows with IOS's
// receive/attached/drop entries, ECMP next hops, and the load balancer's
// choice for a flow, on a real RouterDevice with a fake context.

import { describe, expect, test } from "bun:test";
import {
  renderShowIpCef,
  renderShowIpCefExactRoute,
  renderShowIpCefPrefix,
} from "../../../src/config/router/show-ip-cef.ts";
import { formatIpv4Address, parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { bringUp, fakeRouter } from "./fake-context.ts";

const ip = (s: string): number => parseIpv4Address(s)!;

function r2() {
  const { device } = fakeRouter("R2", [
    { name: "Serial4/0", kind: "serial" },
    { name: "Serial4/2", kind: "serial" },
    { name: "Serial4/3", kind: "serial" },
  ]);
  bringUp(device, "Serial4/0", ip("192.168.23.2"), 24);
  bringUp(device, "Serial4/2", ip("192.168.25.2"), 24);
  bringUp(device, "Serial4/3", ip("192.168.26.2"), 24);
  const rib = device.stack.rib;
  rib.addStatic({ prefix: ip("9.9.9.9"), length: 32, nextHop: ip("192.168.23.3") });
  rib.addStatic({ prefix: ip("8.8.8.8"), length: 32, nextHop: ip("192.168.25.5") });
  rib.addStatic({ prefix: ip("8.8.8.8"), length: 32, nextHop: ip("192.168.26.6") });
  rib.commit();
  return device;
}

describe("show ip cef", () => {
  test("full table with special entries and ECMP continuation", () => {
    const device = r2();
    device.stack.rib.addStatic({ prefix: 0, length: 0, nextHop: ip("192.168.23.3") });
    device.stack.rib.addStatic({ prefix: ip("10.5.0.0"), length: 16, interface: "Serial4/2" });
    device.stack.rib.commit();
    expect(renderShowIpCef(device)).toBe(
      [
        "Prefix               Next Hop             Interface",
        "0.0.0.0/0            192.168.23.3         Serial4/0",
        "0.0.0.0/8            drop",
        "0.0.0.0/32           receive",
        "8.8.8.8/32           192.168.25.5         Serial4/2",
        "                     192.168.26.6         Serial4/3",
        "9.9.9.9/32           192.168.23.3         Serial4/0",
        "10.5.0.0/16          attached             Serial4/2",
        "127.0.0.0/8          drop",
        "192.168.23.0/24      attached             Serial4/0",
        "192.168.23.0/32      receive              Serial4/0",
        "192.168.23.2/32      receive              Serial4/0",
        "192.168.23.255/32    receive              Serial4/0",
        "192.168.25.0/24      attached             Serial4/2",
        "192.168.25.0/32      receive              Serial4/2",
        "192.168.25.2/32      receive              Serial4/2",
        "192.168.25.255/32    receive              Serial4/2",
        "192.168.26.0/24      attached             Serial4/3",
        "192.168.26.0/32      receive              Serial4/3",
        "192.168.26.2/32      receive              Serial4/3",
        "192.168.26.255/32    receive              Serial4/3",
        "224.0.0.0/4          drop",
        "224.0.0.0/24         receive",
        "240.0.0.0/4          drop",
        "255.255.255.255/32   receive",
        "",
      ].join("\n"),
    );
  });

  test("no default route: 0.0.0.0/0 no route", () => {
    const lines = renderShowIpCef(r2()).split("\n");
    expect(lines[1]).toBe("0.0.0.0/0            no route");
  });
});

describe("show ip cef <prefix>", () => {
  test("as in the seed: one next hop, ECMP lists every next hop", () => {
    const device = r2();
    expect(renderShowIpCefPrefix(device, ip("9.9.9.9"))).toBe("9.9.9.9/32\n  nexthop 192.168.23.3 Serial4/0\n");
    expect(renderShowIpCefPrefix(device, ip("8.8.8.8"))).toBe(
      "8.8.8.8/32\n  nexthop 192.168.25.5 Serial4/2\n  nexthop 192.168.26.6 Serial4/3\n",
    );
  });

  test("attached, receive, no route, exact mask", () => {
    const device = r2();
    expect(renderShowIpCefPrefix(device, ip("192.168.23.7"))).toBe("192.168.23.0/24\n  attached to Serial4/0\n");
    expect(renderShowIpCefPrefix(device, ip("192.168.23.2"))).toBe("192.168.23.2/32\n  receive for Serial4/0\n");
    expect(renderShowIpCefPrefix(device, ip("1.2.3.4"))).toBe("0.0.0.0/0\n  no route\n");
    expect(renderShowIpCefPrefix(device, ip("192.168.23.0"), 24)).toBe("192.168.23.0/24\n  attached to Serial4/0\n");
    expect(renderShowIpCefPrefix(device, ip("9.9.9.0"), 24)).toBe("%Prefix not found\n");
  });
});

describe("show ip cef exact-route", () => {
  test("single path, attached, receive, no route", () => {
    const device = r2();
    expect(renderShowIpCefExactRoute(device, ip("10.0.1.1"), ip("9.9.9.9"))).toBe(
      "10.0.1.1 -> 9.9.9.9 =>IP adj out of Serial4/0, addr 192.168.23.3\n",
    );
    expect(renderShowIpCefExactRoute(device, ip("10.0.1.1"), ip("192.168.25.5"))).toBe(
      "10.0.1.1 -> 192.168.25.5 =>IP adj out of Serial4/2, addr 192.168.25.5\n",
    );
    expect(renderShowIpCefExactRoute(device, ip("10.0.1.1"), ip("192.168.25.2"))).toBe(
      "10.0.1.1 -> 192.168.25.2 =>receive\n",
    );
    expect(renderShowIpCefExactRoute(device, ip("10.0.1.1"), ip("1.1.1.1"))).toBe("10.0.1.1 -> 1.1.1.1 =>no route\n");
  });

  test("ECMP: one of the paths, stable, matching the load balancer", () => {
    const device = r2();
    const pl = device.stack.lookupPathList(ip("8.8.8.8"))!;
    const seen = new Set<string>();
    for (let s = 1; s <= 40; s++) {
      const src = ip(`10.0.${s}.1`);
      const text = renderShowIpCefExactRoute(device, src, ip("8.8.8.8"));
      expect(text).toBe(renderShowIpCefExactRoute(device, src, ip("8.8.8.8")));
      const p = device.stack.choosePath(pl, src, ip("8.8.8.8"), false);
      expect(text).toBe(
        `10.0.${s}.1 -> 8.8.8.8 =>IP adj out of ${p.interface}, addr ${formatIpv4Address(p.nextHop!)}\n`,
      );
      seen.add(p.interface);
    }
    expect(seen.size).toBe(2);
  });
});
