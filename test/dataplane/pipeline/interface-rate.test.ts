// The 5-minute rates and txload/rxload of show interfaces follow the traffic
// (they were fixed text: 0 bits/sec, load 1/255): IOS's exponentially
// weighted average over 5 s samples with a 300 s time constant.

import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { LOAD_SAMPLE_NS, load255, RateEstimator } from "../../../src/dataplane/pipeline/interface-rate.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const S = 1e9;

describe("RateEstimator", () => {
  test("a steady rate converges as 1 - e^(-t/300) and decays as e^(-t/300) once it stops", () => {
    const r = new RateEstimator();
    // 100 frames of 125 bytes a second: 100 kbit/s.
    for (let t = 0; t < 600 * S; t += S / 100) r.add(t, 125);
    const after600 = r.read(600 * S);
    expect(after600.bitsPerSec).toBe(Math.round(100_000 * (1 - Math.exp(-2))));
    expect(after600.packetsPerSec).toBe(Math.round(100 * (1 - Math.exp(-2))));
    const idle = r.read(900 * S);
    expect(idle.bitsPerSec).toBe(Math.round(100_000 * (1 - Math.exp(-2)) * Math.exp(-1)));
  });

  test("a period still open is not counted until it closes", () => {
    const r = new RateEstimator();
    r.add(0, 1000);
    expect(r.read(LOAD_SAMPLE_NS - 1).bitsPerSec).toBe(0);
    expect(r.read(LOAD_SAMPLE_NS).bitsPerSec).toBe(Math.round((8000 / 5) * (1 - Math.exp(-5 / 300))));
  });

  test("load in 255ths of the bandwidth, at least 1", () => {
    expect(load255(0, 1544)).toBe(1);
    expect(load255(772_000, 1544)).toBe(128);
    expect(load255(10_000_000, 1544)).toBe(255);
  });
});

describe("show interfaces", () => {
  test("10 minutes of 10 datagrams a second over a T1: rates and loads on both ends", async () => {
    const cfg = (n: number) =>
      `hostname R${n}\ninterface Serial0/0\n ip address 10.0.12.${n} 255.255.255.0\n no shutdown\n`;
    const spec = buildLabSpec(
      "rates",
      "rates",
      { devices: { R1: "router", R2: "router" }, links: [{ name: "R1-R2", a: "R1 Serial0/0", b: "R2 Serial0/0" }] },
      { R1: cfg(1), R2: cfg(2) },
      1,
    );
    const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(1e9);
      // 1000-byte datagrams in 1004-byte HDLC frames: 80,320 bit/s; after 600 s the average is 1 - e^-2 of it.
      await lab.command("R1", "traffic udp 10.0.12.2 size 1000 rate 10 count 6000");
      const r1 = (await lab.command("R1", "show interfaces Serial0/0")).output;
      const out = /5 minute output rate (\d+) bits\/sec, (\d+) packets\/sec/.exec(r1);
      expect(Number(out?.[1])).toBeGreaterThan(80_320 * 0.85);
      expect(Number(out?.[1])).toBeLessThan(80_320 * 0.88);
      expect(Number(out?.[2])).toBe(9);
      expect(r1).toMatch(/txload 1[12]\/255, rxload 1\/255/);
      const r2 = (await lab.command("R2", "show interfaces Serial0/0")).output;
      const input = /5 minute input rate (\d+) bits\/sec, (\d+) packets\/sec/.exec(r2);
      expect(Number(input?.[1])).toBeGreaterThan(80_320 * 0.85);
      expect(r2).toMatch(/txload \d+\/255, rxload 1[12]\/255/);
      // Twenty idle minutes later the average has decayed by e^-4.
      await lab.run(1200e9);
      const idle = (await lab.command("R1", "show interfaces Serial0/0")).output;
      const later = Number(/5 minute output rate (\d+) bits\/sec/.exec(idle)?.[1]);
      expect(later).toBeLessThan(Number(out?.[1]) * Math.exp(-4) * 1.05);
      expect(later).toBeGreaterThan(0);
    } finally {
      lab.close();
    }
  });
});
