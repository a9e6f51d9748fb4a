// show ip traffic counts what really happened (it used to print fixed zeros
// for echo, echo reply, broadcasts, multicast, redirects and the ICMP
// received), and `ip redirects` acts: a router that forwards a datagram back
// out of the interface it came in on, to a next hop on the sender's subnet,
// sends an ICMP redirect (and counts it), unless `no ip redirects`.
//
//   R3 (192.168.1.3) --- LAN --- R1 (.1) --- R2 (.2, Loopback0 10.9.9.9)
//   R3 routes 10.9.9.0/24 via R1, and R1 via R2 on the same LAN. (R3 is a
//   router: as IOS with ip routing, it counts redirects and ignores them.)

import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router" },
  links: [],
  segments: [{ name: "LAN", ports: ["R3 GigabitEthernet0/0", "R1 GigabitEthernet0/0", "R2 GigabitEthernet0/0"] }],
};

const CONFIGS = (r1Extra: string) => ({
  R3: "hostname R3\ninterface GigabitEthernet0/0\n ip address 192.168.1.3 255.255.255.0\n no shutdown\nip route 10.9.9.0 255.255.255.0 192.168.1.1\n",
  R1: `hostname R1\ninterface GigabitEthernet0/0\n ip address 192.168.1.1 255.255.255.0\n${r1Extra} no shutdown\nip route 10.9.9.0 255.255.255.0 192.168.1.2\n`,
  R2: "hostname R2\ninterface Loopback0\n ip address 10.9.9.9 255.255.255.0\ninterface GigabitEthernet0/0\n ip address 192.168.1.2 255.255.255.0\n no shutdown\n",
});

async function run(r1Extra = ""): Promise<{ r1: string; r3: string; r2: string; ping: string }> {
  const spec = buildLabSpec("redirects", "redirects", TOPOLOGY, CONFIGS(r1Extra), 1);
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
  try {
    await lab.run(2e9);
    const ping = (await lab.command("R3", "ping 10.9.9.9 repeat 5")).output;
    await lab.command("R1", "ping 192.168.1.255 repeat 2");
    const out = async (d: string) => (await lab.command(d, "show ip traffic")).output;
    return { r1: await out("R1"), r3: await out("R3"), r2: await out("R2"), ping };
  } finally {
    lab.close();
  }
}

/** Echo replies a ping got (IOS: "Success rate is 80 percent (4/5)"). */
function replies(ping: string): number {
  return Number(/\((\d+)\/\d+\)/.exec(ping)?.[1]);
}

describe("ip redirects and show ip traffic", () => {
  test("R1 forwards R3's pings back out of the LAN to R2 and sends R3 a redirect for them", async () => {
    const { r1, r3, ping } = await run();
    expect(replies(ping)).toBeGreaterThanOrEqual(2); // the first datagrams wait for ARP at each hop
    const redirectsSent = Number(/ {2}Sent: (\d+) redirects/.exec(r1)?.[1]);
    expect(redirectsSent).toBeGreaterThanOrEqual(1);
    expect(r3).toContain(`Rcvd: 0 format errors, 0 checksum errors, ${redirectsSent} redirects`);
    // R3 counts the echo requests it sent and the replies it got.
    expect(r3).toContain("  Sent: 0 redirects, 0 unreachable, 5 echo, 0 echo reply");
    expect(r3).toMatch(new RegExp(` {8}\\d+ echo, ${replies(ping)} echo reply,`));
  });

  test("no ip redirects: the same forwarding, no redirect", async () => {
    const { r1, r3, ping } = await run(" no ip redirects\n");
    expect(replies(ping)).toBeGreaterThanOrEqual(2); // the first datagrams wait for ARP at each hop
    expect(r1).toContain("  Sent: 0 redirects,");
    expect(r3).toContain("Rcvd: 0 format errors, 0 checksum errors, 0 redirects");
  });

  test("broadcasts sent and received are counted (a ping to the subnet's broadcast address)", async () => {
    const { r1, r2 } = await run();
    expect(r1).toMatch(/Bcast: \d+ received, 2 sent/);
    expect(r2).toMatch(/Bcast: [2-9]\d* received, 0 sent/);
  });
});
