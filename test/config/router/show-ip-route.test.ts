// show ip route / show ip route <address>: legend, gateway line, classful
// headers, connected/local/static rows, ECMP continuation lines, filters and
// the Routing entry detail view, on a real RouterDevice with a fake context.

import { describe, expect, test } from "bun:test";
import {
  ROUTE_CODES_LEGEND,
  renderShowIpRoute,
  renderShowIpRouteEntry,
} from "../../../src/config/router/show-ip-route.ts";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { bringUp, fakeRouter } from "./fake-context.ts";

const ip = (s: string): number => parseIpv4Address(s)!;

function r1() {
  const { device, ctx } = fakeRouter("R1", [
    { name: "Serial0/0", kind: "serial" },
    { name: "Serial0/1", kind: "serial" },
    { name: "GigabitEthernet0/0", kind: "ethernet" },
  ]);
  bringUp(device, "Serial0/0", ip("10.0.12.1"), 24);
  bringUp(device, "Serial0/1", ip("10.0.13.1"), 24);
  return { device, ctx };
}

describe("show ip route", () => {
  test("connected and local only: legend, gateway not set, variably subnetted header", () => {
    const { device } = r1();
    const text = renderShowIpRoute(device);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.split("\n");
    expect(lines.slice(0, 8)).toEqual(ROUTE_CODES_LEGEND);
    expect(lines[0]).toBe("Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP");
    expect(lines.slice(8)).toEqual([
      "",
      "Gateway of last resort is not set",
      "",
      "      10.0.0.0/8 is variably subnetted, 4 subnets, 2 masks",
      "C        10.0.12.0/24 is directly connected, Serial0/0",
      "L        10.0.12.1/32 is directly connected, Serial0/0",
      "C        10.0.13.0/24 is directly connected, Serial0/1",
      "L        10.0.13.1/32 is directly connected, Serial0/1",
      "",
    ]);
  });

  test("statics, default route with ECMP, exit-interface static, subnetted group", () => {
    const { device } = r1();
    bringUp(device, "Loopback0", ip("1.1.1.1"), 32);
    const rib = device.stack.rib;
    rib.addStatic({ prefix: ip("10.0.23.0"), length: 24, nextHop: ip("10.0.12.2") });
    rib.addStatic({ prefix: 0, length: 0, nextHop: ip("10.0.12.2") });
    rib.addStatic({ prefix: 0, length: 0, nextHop: ip("10.0.13.3") });
    rib.addStatic({ prefix: ip("192.168.5.0"), length: 24, interface: "Serial0/1" });
    rib.addStatic({
      prefix: ip("172.16.0.0"),
      length: 16,
      nextHop: ip("10.0.12.2"),
      interface: "Serial0/0",
      distance: 5,
    });
    rib.commit();
    const lines = renderShowIpRoute(device).split("\n");
    expect(lines.slice(9)).toEqual([
      "Gateway of last resort is 10.0.12.2 to network 0.0.0.0",
      "",
      "S*    0.0.0.0/0 [1/0] via 10.0.12.2",
      "                [1/0] via 10.0.13.3",
      "      1.0.0.0/32 is subnetted, 1 subnets",
      "C        1.1.1.1 is directly connected, Loopback0",
      "      10.0.0.0/8 is variably subnetted, 5 subnets, 2 masks",
      "C        10.0.12.0/24 is directly connected, Serial0/0",
      "L        10.0.12.1/32 is directly connected, Serial0/0",
      "C        10.0.13.0/24 is directly connected, Serial0/1",
      "L        10.0.13.1/32 is directly connected, Serial0/1",
      "S        10.0.23.0/24 [1/0] via 10.0.12.2",
      "S     172.16.0.0/16 [5/0] via 10.0.12.2, Serial0/0",
      "S     192.168.5.0/24 is directly connected, Serial0/1",
      "",
    ]);
  });

  test("ECMP on a subnet aligns under the bracket", () => {
    const { device } = r1();
    const rib = device.stack.rib;
    rib.addStatic({ prefix: ip("10.0.3.0"), length: 24, nextHop: ip("10.0.12.2") });
    rib.addStatic({ prefix: ip("10.0.3.0"), length: 24, nextHop: ip("10.0.13.3") });
    rib.commit();
    const lines = renderShowIpRoute(device).split("\n");
    const i = lines.indexOf("S        10.0.3.0/24 [1/0] via 10.0.12.2");
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe("                     [1/0] via 10.0.13.3");
  });

  test("source filter keeps the header counts and drops other sources", () => {
    const { device } = r1();
    device.stack.rib.addStatic({ prefix: ip("10.0.23.0"), length: 24, nextHop: ip("10.0.12.2") });
    device.stack.rib.commit();
    const st = renderShowIpRoute(device, { source: "static" }).split("\n").slice(9);
    expect(st).toEqual([
      "Gateway of last resort is not set",
      "",
      "      10.0.0.0/8 is variably subnetted, 5 subnets, 2 masks",
      "S        10.0.23.0/24 [1/0] via 10.0.12.2",
      "",
    ]);
    const conn = renderShowIpRoute(device, { source: "connected" });
    expect(conn).toContain("L        10.0.12.1/32 is directly connected, Serial0/0");
    expect(conn).not.toContain("10.0.23.0");
  });

  test("shut interface withdraws its routes", () => {
    const { device } = r1();
    const s1 = device.findInterface("Serial0/1")!;
    s1.config.shutdown = true;
    device.interfaceChanged(s1);
    const text = renderShowIpRoute(device);
    expect(text).not.toContain("Serial0/1");
    expect(text).toContain("      10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks");
  });
});

describe("show ip route <address>", () => {
  test("static route entry", () => {
    const { device } = r1();
    device.stack.rib.addStatic({ prefix: ip("10.0.23.0"), length: 24, nextHop: ip("10.0.12.2") });
    device.stack.rib.commit();
    expect(renderShowIpRouteEntry(device, ip("10.0.23.7"))).toBe(
      [
        "Routing entry for 10.0.23.0/24",
        '  Known via "static", distance 1, metric 0',
        "  Routing Descriptor Blocks:",
        "  * 10.0.12.2",
        "      Route metric is 0, traffic share count is 1",
        "",
      ].join("\n"),
    );
  });

  test("connected and local entries", () => {
    const { device } = r1();
    expect(renderShowIpRouteEntry(device, ip("10.0.12.0"), 24)).toBe(
      [
        "Routing entry for 10.0.12.0/24",
        '  Known via "connected", distance 0, metric 0 (connected, via interface)',
        "  Routing Descriptor Blocks:",
        "  * directly connected, via Serial0/0",
        "      Route metric is 0, traffic share count is 1",
        "",
      ].join("\n"),
    );
    expect(renderShowIpRouteEntry(device, ip("10.0.12.1")).split("\n").slice(0, 2)).toEqual([
      "Routing entry for 10.0.12.1/32",
      '  Known via "connected", distance 0, metric 0 (connected)',
    ]);
  });

  test("default route with ECMP: supernet, candidate default, one starred block", () => {
    const { device } = r1();
    device.stack.rib.addStatic({ prefix: 0, length: 0, nextHop: ip("10.0.12.2") });
    device.stack.rib.addStatic({ prefix: 0, length: 0, nextHop: ip("10.0.13.3") });
    device.stack.rib.commit();
    expect(renderShowIpRouteEntry(device, 0)).toBe(
      [
        "Routing entry for 0.0.0.0/0, supernet",
        '  Known via "static", distance 1, metric 0, candidate default path',
        "  Routing Descriptor Blocks:",
        "  * 10.0.12.2",
        "      Route metric is 0, traffic share count is 1",
        "    10.0.13.3",
        "      Route metric is 0, traffic share count is 1",
        "",
      ].join("\n"),
    );
    // An address lookup does not fall back to the default route.
    expect(renderShowIpRouteEntry(device, ip("8.8.8.8"))).toBe("% Network not in table\n");
  });

  test("not in table", () => {
    const { device } = r1();
    expect(renderShowIpRouteEntry(device, ip("10.9.9.9"))).toBe("% Subnet not in table\n");
    expect(renderShowIpRouteEntry(device, ip("192.168.1.1"))).toBe("% Network not in table\n");
    expect(renderShowIpRouteEntry(device, ip("10.0.12.0"), 16)).toBe("% Subnet not in table\n");
  });
});

describe("loopback /32", () => {
  test("shows as connected, as IOS does", () => {
    const { device } = r1();
    bringUp(device, "Loopback0", ip("1.1.1.1"), 32);
    expect(renderShowIpRouteEntry(device, ip("1.1.1.1")).split("\n")[1]).toBe(
      '  Known via "connected", distance 0, metric 0 (connected, via interface)',
    );
  });
});

describe("show ip route … longer-prefixes", () => {
  test("the routing-table form: legend, gateway of last resort, the routes inside; no mask takes the classful network (seed 003)", async () => {
    const { routerSession } = await import("./router-session.ts");
    const r = routerSession();
    bringUp(r.device, "Serial0/0", ip("192.168.23.2"), 24);
    expect(
      r.load([
        "ip route 0.0.0.0 0.0.0.0 192.168.23.3",
        "ip route 9.9.9.9 255.255.255.255 192.168.23.3",
        "ip route 9.1.0.0 255.255.0.0 192.168.23.3",
        "ip route 10.0.0.0 255.0.0.0 192.168.23.3",
      ]),
    ).toEqual([]);
    const table = r.run("sh ip route 9.9.9.9 long").split("\n");
    expect(table.slice(0, 8)).toEqual(ROUTE_CODES_LEGEND);
    expect(table.slice(8)).toEqual([
      "",
      "Gateway of last resort is 192.168.23.3 to network 0.0.0.0",
      "",
      "      9.0.0.0/8 is variably subnetted, 2 subnets, 2 masks",
      "S        9.1.0.0/16 [1/0] via 192.168.23.3",
      "S        9.9.9.9/32 [1/0] via 192.168.23.3",
      "",
    ]);
    const exact = r.run("show ip route 9.9.9.9 255.255.255.255 longer-prefixes");
    expect(exact).toContain("S        9.9.9.9/32 [1/0] via 192.168.23.3\n");
    expect(exact).not.toContain("9.1.0.0");
    r.load(["no ip route 9.9.9.9 255.255.255.255 192.168.23.3", "no ip route 9.1.0.0 255.255.0.0 192.168.23.3"]);
    expect(r.run("sh ip route 9.9.9.9 long")).toEndWith(
      "\nGateway of last resort is 192.168.23.3 to network 0.0.0.0\n\n",
    );
  });
});
