// `bench qos` at tiny sizes: the scheduler part measures both implementations at
// every flow count, the forwarding part runs the chain with FIFO and with WFQ
// at every offered rate and carries the stream; the chain's `fair-queue` really
// makes the links run WFQ (a stream above the line rate queues in it). Nothing
// here looks at wall-clock figures beyond their being measured.
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import { chainLab } from "../../src/bench/chain-lab.ts";
import { benchQos } from "../../src/bench/qos.ts";
import { Lab } from "../../src/runtime/lab.ts";

describe("qos bench", () => {
  test("scheduler rows for each flow count, forwarding rows FIFO and WFQ for each rate", async () => {
    const r = await benchQos({
      flows: [16, 200],
      schedulerPackets: 4000,
      schedulerRounds: 1,
      routers: 3,
      packets: 1000,
      rates: [200_000, 2_000_000],
      rounds: 1,
    });
    expect(r.scheduler.map((s) => s.flows)).toEqual([16, 200]);
    for (const s of r.scheduler) {
      expect(s.wasmPps).toBeGreaterThan(0);
      expect(s.tsPps).toBeGreaterThan(0);
      expect(s.ratio).toBeCloseTo(s.wasmPps / s.tsPps, 6);
    }
    expect(r.forwarding.map((f) => f.ratePps)).toEqual([200_000, 2_000_000]);
    const [under, over] = r.forwarding;
    // Under the line rate nothing is dropped either way: 2 hops per datagram.
    for (const run of [under!.fifo, under!.wfq]) {
      expect(run.delivered).toBe(1000);
      expect(run.packetHops - 2000).toBeOneOf([0, 2]);
    }
    // Above it the first link's queue overflows: FIFO at its 40 packets, WFQ at the one flow's CDT of 64.
    expect(over!.fifo.failedToSend).toBeGreaterThan(0);
    expect(over!.wfq.failedToSend).toBeGreaterThan(0);
    expect(over!.wfq.failedToSend).toBeLessThan(over!.fifo.failedToSend);
    expect(over!.ratio).toBeCloseTo(over!.wfq.packetHopsPerSec / over!.fifo.packetHopsPerSec, 6);
  }, 60_000);

  test("the chain's fair-queue runs WFQ on the links (a stream above gigabit's rate queues in it), no fair-queue FIFO", async () => {
    const wfq = chainLab({ routers: 2, queueing: "fair-queue" });
    expect(wfq.configs.R1).toContain(
      "interface GigabitEthernet0/1\n description to 2\n ip address 10.0.1.1 255.255.255.0\n fair-queue\n",
    );
    expect(chainLab({ routers: 2, queueing: "fifo" }).configs.R2).toContain(" no fair-queue\n");
    const lab = await Lab.create(wfq.spec, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(1_000_000_000);
      await lab.command("R1", `ping ${wfq.loopbacks[1]} repeat 3 timeout 1`);
      await lab.command("R1", `traffic udp ${wfq.loopbacks[1]} size 100 rate 2000000 count 500`);
      const { output } = await lab.command("R1", "show interfaces GigabitEthernet0/1");
      expect(output).toContain("Queueing strategy: weighted fair");
      expect(output).toMatch(/Conversations {2}0\/1\/256 \(active\/max active\/max total\)/);
    } finally {
      lab.close();
    }
  }, 30_000);
});
