// `show running-config` round-trips: loading its output into a fresh device
// gives the same running configuration.
import { describe, expect, test } from "bun:test";
import { CliSession } from "../../../src/config/cli/modes.ts";
import { routerCommandTable } from "../../../src/config/router/router-commands.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import { configFromShowRun, renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { fakeRouter } from "./fake-context.ts";

const CONFIG = `hostname EDGE1
interface Loopback0
 ip address 1.1.1.1 255.255.255.255
interface GigabitEthernet0/0
 description uplink to ISP
 ip address 203.0.113.2 255.255.255.252
 ip access-group OUTSIDE-IN in
 no ip proxy-arp
 ip mtu 1400
interface GigabitEthernet0/1
 no shutdown
interface GigabitEthernet0/1.100
 encapsulation dot1Q 100
 ip address 10.1.100.1 255.255.255.0
 ip address 10.1.101.1 255.255.255.0 secondary
interface Serial0/0
 bandwidth 512
 ip address 10.0.12.1 255.255.255.0
 ip load-sharing per-packet
 shutdown
ip route 0.0.0.0 0.0.0.0 203.0.113.1
ip route 10.9.0.0 255.255.0.0 Serial0/0 250 tag 7
ip route 10.8.0.0 255.255.0.0 10.0.12.2 name BACKUP
access-list 10 permit 10.1.0.0 0.0.255.255
access-list 101 deny tcp any host 10.1.100.5 eq telnet
access-list 101 permit ip any any
ip access-list extended OUTSIDE-IN
 permit icmp any any echo-reply
 permit esp host 198.51.100.1 host 203.0.113.2
 deny ip any any log
`;

function load(device: RouterDevice, text: string): string[] {
  const session = new CliSession(routerCommandTable(), { device, hostname: () => device.hostname, privileged: true });
  device.booting = true;
  const errors = session.loadConfig(text).map((e) => e.message);
  device.booting = false;
  return errors;
}

const PORTS = [
  { name: "GigabitEthernet0/0", kind: "ethernet" as const },
  { name: "GigabitEthernet0/1", kind: "ethernet" as const },
  { name: "Serial0/0", kind: "serial" as const },
];

describe("running-config", () => {
  test("loads without errors and renders IOS's layout", () => {
    const a = fakeRouter("A", PORTS).device;
    expect(load(a, CONFIG)).toEqual([]);
    const text = renderRunningConfig(a);
    expect(text).toStartWith("Building configuration...\n\nCurrent configuration : ");
    expect(text).toContain(
      "\ninterface GigabitEthernet0/1.100\n encapsulation dot1Q 100\n ip address 10.1.100.1 255.255.255.0\n ip address 10.1.101.1 255.255.255.0 secondary\n!",
    );
    expect(text).toContain(
      "\ninterface Serial0/0\n bandwidth 512\n ip address 10.0.12.1 255.255.255.0\n ip load-sharing per-packet\n shutdown\n!",
    );
    expect(text).toContain("\nip route 10.9.0.0 255.255.0.0 Serial0/0 250 tag 7\n");
    expect(text).toContain("\nip access-list extended OUTSIDE-IN\n");
    expect(text).toContain("\naccess-list 101 deny   tcp any host 10.1.100.5 eq telnet\n".replace("deny   ", "deny "));
    expect(text.trimEnd()).toEndWith("end");
  });
  test("loading show running-config output gives the same running config", () => {
    const a = fakeRouter("A", PORTS).device;
    load(a, CONFIG);
    const first = renderRunningConfig(a);
    const b = fakeRouter("B", PORTS).device;
    expect(load(b, configFromShowRun(first))).toEqual([]);
    expect(renderRunningConfig(b)).toBe(first);
  });
  test("a physical interface the boot config does not list stays shut, as on a fresh IOS router", () => {
    const a = fakeRouter("A", PORTS).device;
    load(a, "hostname A\ninterface GigabitEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n");
    expect(a.findInterface("Gi0/0")!.config.shutdown).toBe(false);
    expect(a.findInterface("Gi0/1")!.config.shutdown).toBe(true);
    expect(a.findInterface("Lo0")).toBeUndefined();
  });
});
