// The output queue on the virtual clock: an idle line sends at once without a
// timer; a busy T1 queues, drains one frame per serialization time, and tail
// drops at `hold-queue N out` (FIFO); WFQ interleaves flows fairly and by
// precedence weight; a change of strategy drops what waited.

import { describe, expect, test } from "bun:test";
import { renderShowInterfaces } from "../../../src/config/router/show-interfaces.ts";
import { dportOf, hdlcUdp, queueLab } from "./queue-lab.ts";

function configure(lab: ReturnType<typeof queueLab>, lines: string[]): void {
  expect(lab.load(["interface Serial0/0", ...lines])).toEqual([]);
}

describe("output queue", () => {
  test("idle line: frames leave at once, no timer, nothing queued", () => {
    const lab = queueLab();
    const s0 = lab.device.findInterface("Serial0/0")!;
    const frame = hdlcUdp(5001, 100);
    expect(lab.device.stack.transmit(s0, 0, frame)).toBe(true);
    expect(lab.departures.map((d) => d.at)).toEqual([0]);
    // 104 bytes + 4 of HDLC at 1.544 Mbit/s: the line is free again after 559,586 ns.
    lab.ctx.nowNs = 600_000;
    expect(lab.device.stack.transmit(s0, 0, frame)).toBe(true);
    expect(lab.departures.map((d) => d.at)).toEqual([0, 600_000]);
    expect(s0.counters.outputPackets).toBe(2);
  });

  test("FIFO with hold-queue 5 out: five wait, the rest are dropped, one leaves per serialization time", () => {
    const lab = queueLab();
    configure(lab, [" no fair-queue", " hold-queue 5 out"]);
    const s0 = lab.device.findInterface("Serial0/0")!;
    const sent = Array.from({ length: 10 }, (_, i) => lab.device.stack.transmit(s0, 0, hdlcUdp(6000 + i)));
    expect(sent).toEqual([true, true, true, true, true, true, false, false, false, false]);
    const show = renderShowInterfaces(lab.device, s0);
    expect(show).toContain("Total output drops: 4\n  Queueing strategy: fifo\n  Output queue: 5/5 (size/max)\n");
    expect(s0.counters.outputPackets).toBe(1);
    lab.run();
    // 1004 bytes of frame + 4 of HDLC flag and FCS at 1.544 Mbit/s.
    const perFrame = Math.ceil((1008 * 8 * 1e9) / 1_544_000);
    expect(lab.departures.map((d) => d.at)).toEqual([0, 1, 2, 3, 4, 5].map((i) => i * perFrame));
    expect(lab.departures.map(dportOf)).toEqual([6000, 6001, 6002, 6003, 6004, 6005]);
    expect(renderShowInterfaces(lab.device, s0)).toContain("  Output queue: 0/5 (size/max)\n");
    expect(s0.counters.outputPackets).toBe(6);
  });

  test("WFQ (the T1 default): two flows of equal precedence alternate; conversations are counted", () => {
    const lab = queueLab();
    const s0 = lab.device.findInterface("Serial0/0")!;
    for (let i = 0; i < 8; i++) lab.device.stack.transmit(s0, 0, hdlcUdp(5001));
    for (let i = 0; i < 8; i++) lab.device.stack.transmit(s0, 0, hdlcUdp(5002));
    const show = renderShowInterfaces(lab.device, s0);
    expect(show).toContain("  Queueing strategy: weighted fair\n  Output queue: 15/1000/64/0");
    expect(show).toContain("     Conversations  2/2/256 (active/max active/max total)\n");
    lab.run();
    // The first 5001 left at once; then the queue serves the two conversations in turn.
    expect(lab.departures.map(dportOf).slice(0, 9)).toEqual([5001, 5001, 5002, 5001, 5002, 5001, 5002, 5001, 5002]);
    expect(renderShowInterfaces(lab.device, s0)).toContain(
      "     Conversations  0/2/256 (active/max active/max total)\n",
    );
  });

  test("WFQ weights by precedence: precedence 5 gets six times the share of routine", () => {
    const lab = queueLab();
    const s0 = lab.device.findInterface("Serial0/0")!;
    lab.device.stack.transmit(s0, 0, hdlcUdp(9999, 100)); // occupies the line
    for (let i = 0; i < 30; i++) lab.device.stack.transmit(s0, 0, hdlcUdp(5001, 1000, 0));
    for (let i = 0; i < 30; i++) lab.device.stack.transmit(s0, 0, hdlcUdp(5002, 1000, 5 << 5));
    lab.run();
    const first21 = lab.departures.slice(1, 22).map(dportOf);
    expect(first21.filter((p) => p === 5002).length).toBe(18);
    expect(first21.filter((p) => p === 5001).length).toBe(3);
  });

  test("WFQ congestive discard: a conversation holds at most CDT packets", () => {
    const lab = queueLab();
    configure(lab, [" fair-queue 4"]);
    const s0 = lab.device.findInterface("Serial0/0")!;
    const sent = Array.from({ length: 8 }, () => lab.device.stack.transmit(s0, 0, hdlcUdp(5001)));
    expect(sent).toEqual([true, true, true, true, true, false, false, false]);
    expect(renderShowInterfaces(lab.device, s0)).toContain(
      "  Output queue: 4/1000/4/3 (size/max total/threshold/drops)\n",
    );
    // clear counters zeroes the queue's drops with the interface's; what waits stays.
    lab.exec("clear counters Serial0/0");
    lab.exec("");
    const after = renderShowInterfaces(lab.device, s0);
    expect(after).toContain("Total output drops: 0\n");
    expect(after).toContain("  Output queue: 4/1000/4/0 (size/max total/threshold/drops)\n");
    expect(after).toContain("     Conversations  1/1/256 (active/max active/max total)\n");
  });

  test("changing the strategy drops what waited, as IOS resets the queue", () => {
    const lab = queueLab();
    const s0 = lab.device.findInterface("Serial0/0")!;
    for (let i = 0; i < 5; i++) lab.device.stack.transmit(s0, 0, hdlcUdp(5001));
    configure(lab, [" no fair-queue"]);
    expect(renderShowInterfaces(lab.device, s0)).toContain(
      "  Queueing strategy: fifo\n  Output queue: 0/40 (size/max)\n",
    );
    lab.run();
    expect(lab.departures.length).toBe(1);
  });
});
