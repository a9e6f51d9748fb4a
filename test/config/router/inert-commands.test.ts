// Commands the router used to accept and store without any effect: each is now
// refused as IOS refuses an unknown command (caret under the first word it
// cannot take), or acts. ip virtual-reassembly waits for reassembly before
// NAT (ip tcp adjust-mss acts now: test/dataplane/tcp-adjust-mss.test.ts).

import { describe, expect, test } from "bun:test";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { bringUp } from "./fake-context.ts";
import { routerSession } from "./router-session.ts";

const ip = (s: string): number => parseIpv4Address(s)!;

describe("accepted but inert commands are refused with IOS's caret", () => {
  test("ip virtual-reassembly: caret under virtual-reassembly", () => {
    const { load } = routerSession();
    const errors = load(["interface GigabitEthernet0/0", " ip virtual-reassembly in"]);
    expect(errors).toEqual([" ip virtual-reassembly in\n    ^\n% Invalid input detected at '^' marker."]);
  });

  test("encapsulation dot1Q ... native: the pipeline always tags, so native is refused", () => {
    const { device, load } = routerSession();
    const errors = load(["interface GigabitEthernet0/0.10", " encapsulation dot1Q 10 native"]);
    expect(errors).toEqual([
      " encapsulation dot1Q 10 native\n                        ^\n% Invalid input detected at '^' marker.",
    ]);
    expect(load(["interface GigabitEthernet0/0.10", " encapsulation dot1Q 10"])).toEqual([]);
    expect(device.findInterface("Gi0/0.10")?.config.vlan).toBe(10);
  });

  test("ip domain lookup cannot be turned on (no resolver); no ip domain lookup is the state", () => {
    const { load } = routerSession();
    expect(load(["no ip domain lookup", "no ip domain-lookup"])).toEqual([]);
    expect(load(["ip domain lookup"])).toEqual([
      "ip domain lookup\n% wanlab has no DNS resolver: ip domain lookup stays off",
    ]);
  });

  test("terminal length: 0-512 sets the console pager's screen (console-line.test.ts), above is refused", () => {
    const { device, session } = routerSession();
    expect(session.execute("terminal length 0").output).toBe("");
    expect(device.consoleLine.length).toBe(0);
    expect(session.execute("terminal length 24").output).toBe("");
    expect(device.consoleLine.length).toBe(24);
    expect(session.execute("terminal length 600").output).toContain("% Invalid input detected at '^' marker.");
  });

  test("show ip route A M longer-prefixes lists the routes inside the prefix", () => {
    const { device, session } = routerSession();
    bringUp(device, "Serial0/0", ip("10.0.12.1"), 24);
    bringUp(device, "Loopback0", ip("1.1.1.1"), 32);
    const inside = session.execute("show ip route 10.0.0.0 255.0.0.0 longer-prefixes").output;
    expect(inside).toContain("10.0.12.0/24 is directly connected, Serial0/0");
    expect(inside).not.toContain("1.1.1.1");
    const all = session.execute("show ip route").output;
    expect(all).toContain("1.1.1.1");
  });
});
