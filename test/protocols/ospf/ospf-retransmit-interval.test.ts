// ip ospf retransmit-interval sets RxmtInterval (RFC 2328 9): two routers
// whose MTUs differ never get past EXSTART/EXCHANGE, so the master keeps
// sending its DBD once per RxmtInterval: 20 in the 40 s after the wait timer
// with 2 s, 8 with IOS's default 5 s; show ip ospf interface and the
// running config show the value, and `no` restores 5.

import { expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const router = (name: string, address: string, rid: string, extra: string[]) =>
  [
    `hostname ${name}`,
    "interface GigabitEthernet0/0",
    ` ip address ${address} 255.255.255.0`,
    ...extra.map((l) => ` ${l}`),
    " no shutdown",
    "router ospf 1",
    ` router-id ${rid}`,
    " network 10.0.0.0 0.255.255.255 area 0",
    "end",
  ].join("\n");

/** DBDs the master (R2, the higher router id) sent in 80 s: the first at the end of the wait timer, then retransmissions. */
async function dbdsSent(retransmit: string[]): Promise<{ dbd: number; lab: Lab }> {
  const spec = buildLabSpec(
    "rxmt",
    "rxmt",
    {
      devices: { R1: "router", R2: "router" },
      links: [{ name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0" }],
    },
    {
      R1: router("R1", "10.0.0.1", "1.1.1.1", ["mtu 1400", ...retransmit]),
      R2: router("R2", "10.0.0.2", "2.2.2.2", retransmit),
    },
    1,
  );
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
  // The wait timer (the dead interval, 40 s) elects DR/BDR, then 40 s of EXSTART.
  await lab.run(80e9);
  const traffic = (await lab.command("R2", "show ip ospf traffic")).output;
  const sent = traffic.slice(traffic.indexOf("Sent:"));
  return { dbd: Number(sent.match(/(\d+) database desc/)![1]), lab };
}

test("ip ospf retransmit-interval paces DBD retransmissions; show and running-config follow", async () => {
  const slow = await dbdsSent([]);
  expect((await slow.lab.command("R2", "show ip ospf interface GigabitEthernet0/0")).output).toContain("Retransmit 5");
  slow.lab.close();
  const fast = await dbdsSent(["ip ospf retransmit-interval 2"]);
  // The first DBD at 40 s, then one every RxmtInterval until 80 s: 8 at 5 s, 20 at 2 s.
  expect(slow.dbd).toBeGreaterThanOrEqual(7);
  expect(slow.dbd).toBeLessThanOrEqual(9);
  expect(fast.dbd).toBeGreaterThanOrEqual(18);
  expect(fast.dbd).toBeLessThanOrEqual(21);
  const lab = fast.lab;
  expect((await lab.command("R2", "show ip ospf interface GigabitEthernet0/0")).output).toContain("Retransmit 2");
  expect((await lab.command("R2", "show running-config interface GigabitEthernet0/0")).output).toContain(
    " ip ospf retransmit-interval 2\n",
  );
  for (const line of ["configure terminal", "interface GigabitEthernet0/0", "no ip ospf retransmit-interval", "end"])
    await lab.command("R2", line);
  expect((await lab.command("R2", "show ip ospf interface GigabitEthernet0/0")).output).toContain("Retransmit 5");
  expect((await lab.command("R2", "show running-config interface GigabitEthernet0/0")).output).not.toContain(
    "retransmit-interval",
  );
  lab.close();
});
