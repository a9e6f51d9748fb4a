// `bench forwarding --traffic gre,gre-ipsec`: the chain's ends get a GRE tunnel
// between their loopbacks (and crypto maps protecting it), the stream really
// crosses the tunnel (R1's Tunnel0 and the SA count it), every datagram is
// one frame per hop as in the plain chain, and the tunnel's decapsulated
// datagrams are not counted as frames.
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import { chainLab } from "../../src/bench/chain-lab.ts";
import { benchForwarding } from "../../src/bench/forwarding.ts";
import { Lab } from "../../src/runtime/lab.ts";

describe("forwarding bench through a tunnel", () => {
  for (const tunnel of ["gre", "gre-ipsec"] as const) {
    test(`${tunnel}: the chain's configs load and pings to the target cross the tunnel`, async () => {
      const built = chainLab({ routers: 4, tunnel });
      const lab = await Lab.create(built.spec, { workers: 0, factories: deviceFactories });
      try {
        expect(built.chains[0]!.target).toBe("192.168.255.1");
        await lab.run(2_000_000_000);
        await lab.command("R1", "ping 172.16.0.4 repeat 10 timeout 1"); // ARP on every hop first
        await lab.command("R1", "ping 192.168.255.1 repeat 10 timeout 1");
        const { output } = await lab.command("R1", "ping 192.168.255.1 repeat 5");
        expect(output).toContain("Success rate is 100 percent (5/5)");
        const show = (await lab.command("R1", "show interfaces Tunnel0")).output;
        expect(show).toContain("Tunnel0 is up, line protocol is up");
        const out = Number(show.match(/(\d+) packets output/)![1]);
        expect(out).toBeGreaterThanOrEqual(5);
        if (tunnel === "gre-ipsec") {
          const sa = (await lab.command("R1", "show crypto ipsec sa")).output;
          expect(sa).toContain("in use settings ={Transport, }");
          expect(Number(sa.match(/#pkts encaps: (\d+)/)![1])).toBeGreaterThanOrEqual(5);
        }
      } finally {
        lab.close();
      }
    }, 60_000);

    test(`${tunnel}: each datagram is one frame per hop, all delivered`, async () => {
      const r = await benchForwarding({ traffic: "udp", routers: 4, packets: 2000, workers: 0, tunnel });
      expect(r).toMatchObject({ tunnel, delivered: 2000, failedToSend: 0 });
      expect(r.packetHops).toBe(2000 * 3);
    }, 60_000);
  }
});
