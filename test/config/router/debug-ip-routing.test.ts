// debug ip routing (RT: lines from the RIB's deltas) and the routing-decision
// line debug ip packet prints for a datagram the router originates.

import { describe, expect, test } from "bun:test";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { bringUp } from "./fake-context.ts";
import { routerSession } from "./router-session.ts";

const ip = (s: string): number => parseIpv4Address(s)!;
const rt = (lines: readonly string[]) =>
  lines.filter((l) => l.includes("RT: ")).map((l) => l.replace(/^.*?RT: /, "RT: "));

describe("debug ip routing", () => {
  test("RT: add and del for a static route, nothing while off", () => {
    const r = routerSession();
    bringUp(r.device, "Serial0/0", ip("10.0.12.1"), 24);
    r.load(["ip route 8.8.8.0 255.255.255.0 10.0.12.2"]);
    expect(rt(r.device.logging.entries())).toEqual([]);
    expect(r.run("debug ip routing")).toBe("IP routing debugging is on\n");
    r.load(["ip route 9.9.9.0 255.255.255.0 10.0.12.2", "ip route 9.0.0.0 255.0.0.0 Null0"]);
    r.load(["no ip route 8.8.8.0 255.255.255.0 10.0.12.2", "no ip route 9.0.0.0 255.0.0.0 Null0"]);
    expect(rt(r.device.logging.entries())).toEqual([
      "RT: add 9.9.9.0/24 via 10.0.12.2, static metric [1/0]",
      "RT: add 9.0.0.0/8 via 0.0.0.0, static metric [1/0]",
      "RT: del 8.8.8.0 via 10.0.12.2, static metric [1/0]",
      "RT: delete subnet route to 8.8.8.0/24",
      "RT: del 9.0.0.0 via 0.0.0.0, static metric [1/0]",
      "RT: delete network route to 9.0.0.0/8",
    ]);
    expect(r.run("no debug ip routing")).toBe("IP routing debugging is off\n");
    r.load(["no ip route 9.9.9.0 255.255.255.0 10.0.12.2"]);
    expect(rt(r.device.logging.entries()).length).toBe(6);
  });

  test("a connected network coming and going", () => {
    const r = routerSession();
    r.run("debug ip routing");
    bringUp(r.device, "Serial0/0", ip("10.0.12.1"), 24);
    expect(rt(r.device.logging.entries())).toEqual([
      "RT: add 10.0.12.0/24 via 0.0.0.0, connected metric [0/0]",
      "RT: add 10.0.12.1/32 via 0.0.0.0, connected metric [0/0]",
    ]);
  });
});

describe("debug ip packet", () => {
  test("a datagram we originate: routed via FIB, then sending", () => {
    const r = routerSession();
    bringUp(r.device, "Serial0/0", ip("10.0.12.1"), 24);
    r.run("debug ip packet");
    r.run("ping 10.0.12.2 repeat 1");
    const lines = r.device.logging.entries().filter((l) => l.includes("IP: "));
    expect(lines[0]).toEndWith("IP: tableid=0, s=10.0.12.1 (local), d=10.0.12.2 (Serial0/0), routed via FIB");
    expect(lines[1]).toEndWith("IP: s=10.0.12.1 (local), d=10.0.12.2 (Serial0/0), len 100, sending");
  });
});
