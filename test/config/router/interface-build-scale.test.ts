// Building a router with many interfaces does work in proportion to their
// number: its configuration (loopbacks and 802.1Q subinterfaces) commits the
// routing table once when it is all in, each interface change refreshes only
// that interface (and its subinterfaces), and after boot a change commits at
// once. The work is counted (RIB commits, interface refreshes), never timed.
import { describe, expect, test } from "bun:test";
import { IosDeviceActor } from "../../../actors/router.ts";
import { routerCommandTable } from "../../../src/config/router/router-commands.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { DeviceContext } from "../../../src/runtime/device.ts";
import { fakeContext } from "./fake-context.ts";

/** IOS text for `n` loopbacks and `n` subinterfaces of Gi0/0, each with its own /30 or /32. */
function bigConfig(n: number): string {
  const lines = [
    "hostname BIG",
    "interface GigabitEthernet0/0",
    " ip address 192.168.0.1 255.255.255.0",
    " no shutdown",
  ];
  for (let i = 1; i <= n; i++) {
    lines.push(`interface Loopback${i}`, ` ip address 10.${i >> 8}.${i & 255}.1 255.255.255.255`);
    lines.push(
      `interface GigabitEthernet0/0.${i}`,
      ` encapsulation dot1Q ${i}`,
      ` ip address 172.${16 + (i >> 8)}.${i & 255}.1 255.255.255.252`,
    );
  }
  lines.push("end");
  return `${lines.join("\n")}\n`;
}

/** A router actor whose device counts RIB commits and interface refreshes. */
class CountingActor extends IosDeviceActor {
  readonly work = { commits: 0, refreshes: 0 };
  built: RouterDevice | null = null;
  protected override createDevice(ctx: DeviceContext): RouterDevice {
    const device = super.createDevice(ctx);
    const rib = device.stack.rib;
    const commit = rib.commit.bind(rib);
    rib.commit = () => {
      this.work.commits++;
      return commit();
    };
    const refresh = device.stack.refreshInterface.bind(device.stack);
    device.stack.refreshInterface = (ifc) => {
      this.work.refreshes++;
      refresh(ifc);
    };
    this.built = device;
    return device;
  }
}

function build(n: number): { actor: CountingActor; boot: { commits: number; refreshes: number } } {
  const actor = new CountingActor("BIG", bigConfig(n), "router", routerCommandTable());
  actor.start(fakeContext("BIG", [{ name: "GigabitEthernet0/0", kind: "ethernet" }]));
  const boot = { ...actor.work };
  // The far end comes up: Gi0/0 and its subinterfaces with it (one commit).
  actor.carrier(0, true);
  return { actor, boot };
}

describe("a router with many interfaces builds in linear work", () => {
  const small = build(100);
  const large = build(1000);

  test("every interface is there with its connected route", () => {
    const device = large.actor.built!;
    expect(device.configErrors).toEqual([]);
    expect(device.interfaces().length).toBe(1 + 2000 + 1); // Gi0/0, loopbacks, subinterfaces, Null0
    const routes = device.stack.rib.routes();
    const has = (p: string) => routes.some((r) => `${formatIp(r.prefix)}/${r.length}` === p);
    expect(has("10.3.232.1/32")).toBe(true); // Loopback1000
    expect(has("172.19.232.0/30")).toBe(true); // Gi0/0.1000
    expect(has("192.168.0.0/24")).toBe(true);
    // Subinterfaces are listed after their parent, in number order.
    expect(
      device
        .subinterfacesOf(device.findInterface("Gi0/0")!)
        .map((i) => i.name)
        .slice(0, 3),
    ).toEqual(["GigabitEthernet0/0.1", "GigabitEthernet0/0.2", "GigabitEthernet0/0.3"]);
    // VLAN demux finds each subinterface.
    const main = device.findInterface("Gi0/0")!;
    expect(device.stack.subinterfaceFor(main, 777)?.name).toBe("GigabitEthernet0/0.777");
  });

  test("the boot configuration commits the RIB a fixed number of times, and refreshes grow linearly", () => {
    expect(large.boot.commits).toBe(small.boot.commits);
    expect(large.boot.commits).toBeLessThanOrEqual(2);
    // Carrier on the parent: its 1000 subinterfaces follow in one commit.
    expect(large.actor.work.commits - large.boot.commits).toBe(1);
    // Each interface line refreshes its interface; the parent's changes refresh its subinterfaces, as of
    // the end of the load. So 10 times the interfaces is about 10 times the refreshes, not 100.
    expect(large.boot.refreshes).toBeLessThan(small.boot.refreshes * 12);
    expect(large.boot.refreshes).toBeGreaterThanOrEqual(2000);
  });

  test("after boot, a configuration change commits at once", () => {
    const device = large.actor.built!;
    const before = large.actor.work.commits;
    const session = (large.actor as unknown as { session: { execute(line: string): { output: string } } }).session;
    for (const line of ["configure terminal", "interface Loopback5000", "ip address 10.200.0.1 255.255.255.255", "end"])
      session.execute(line);
    expect(large.actor.work.commits).toBeGreaterThan(before);
    expect(device.stack.rib.routes().some((r) => r.prefix === 0x0ac80001 && r.length === 32)).toBe(true);
    expect(device.stack.isLocalAddress(0x0ac80001)).toBe(true);
  });

  test("overlapping addresses and a VLAN taken twice are refused by key, naming the first clash in listing order", () => {
    const session = (large.actor as unknown as { session: { execute(line: string): { output: string } } }).session;
    const run = (lines: string[]) => lines.map((l) => session.execute(l).output).join("");
    // 10.3.0.0/16 holds Loopback768 .. Loopback1000 (10.3.0.1 .. 10.3.232.1).
    expect(run(["configure terminal", "interface Loopback6000", "ip address 10.3.9.9 255.255.0.0", "end"])).toContain(
      "% 10.3.0.0 overlaps with Loopback768",
    );
    // A /30 inside Gi0/0.5's /30, and a supernet of Gi0/0's /16.
    expect(
      run(["configure terminal", "interface Loopback6001", "ip address 172.16.5.2 255.255.255.255", "end"]),
    ).toContain("% 172.16.5.2 overlaps with GigabitEthernet0/0.5");
    expect(run(["configure terminal", "interface Loopback6002", "ip address 192.0.0.1 255.0.0.0", "end"])).toContain(
      "% 192.0.0.0 overlaps with GigabitEthernet0/0",
    );
    expect(
      run(["configure terminal", "interface Loopback6003", "ip address 10.250.0.1 255.255.255.255", "end"]),
    ).not.toContain("overlaps");
    expect(
      run(["configure terminal", "interface GigabitEthernet0/0.5000", "encapsulation dot1Q 777", "end"]),
    ).toContain("% This VLAN is already configured on GigabitEthernet0/0.777.");
    // Re-stating a subinterface's own VLAN is no clash.
    expect(
      run(["configure terminal", "interface GigabitEthernet0/0.777", "encapsulation dot1Q 777", "end"]),
    ).not.toContain("VLAN");
  });
});

function formatIp(a: number): string {
  return [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join(".");
}
