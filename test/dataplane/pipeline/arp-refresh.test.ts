// A steady stream across an ARP timeout loses nothing: when the next hop's
// entry ages, IOS keeps using it while it sends a refresh request, and the
// reply renews it. (Before, every `arp timeout` dropped one datagram per
// Ethernet hop while the entry was resolved again from scratch.)

import { expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const r = (n: number) =>
  `hostname R${n}\ninterface GigabitEthernet0/0\n ip address 10.0.12.${n} 255.255.255.0\n arp timeout 60\n no shutdown\n`;

test("200 s of one datagram a second across three 60 s ARP timeouts: only the ARP-triggering first one is lost", async () => {
  const spec = buildLabSpec(
    "arp-refresh",
    "arp-refresh",
    {
      devices: { R1: "router", R2: "router" },
      links: [{ name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0", latencyMs: 1 }],
    },
    { R1: r(1), R2: r(2) },
    1,
  );
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
  try {
    await lab.run(1e9);
    await lab.command("R1", "traffic udp 10.0.12.2 size 100 rate 1 count 200");
    await lab.run(5e9);
    const traffic = (await lab.command("R2", "show ip traffic")).output;
    // R2 delivers each datagram (UDP to a closed port) and answers port unreachable (rate-limited).
    expect(traffic).toContain("  Rcvd:  199 total, 199 local destination");
    const arp = (await lab.command("R1", "show ip arp")).output;
    expect(arp).toMatch(/10\.0\.12\.2 +\d+ +aabb\.cc/);
  } finally {
    lab.close();
  }
});
