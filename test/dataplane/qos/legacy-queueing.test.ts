// PQ and CQ on a congested T1, configured as seed 000 does: access lists pick
// the queue, PQ serves high before anything else and tail drops at its
// per-queue limits, CQ shares the line by byte counts; the lists round-trip
// through the running config; show queueing and show queue print live state.

import { describe, expect, test } from "bun:test";
import { renderShowInterfaces } from "../../../src/config/router/show-interfaces.ts";
import { dportOf, hdlcUdp, queueLab } from "./queue-lab.ts";

const ACLS = [
  "access-list 101 permit udp any any eq 5001",
  "access-list 102 permit udp any any eq 5002",
  "access-list 103 permit udp any any eq 5003",
];

describe("priority queueing", () => {
  test("high goes first; medium and normal wait; each queue tail drops at its limit", () => {
    const lab = queueLab();
    expect(
      lab.load([
        ...ACLS,
        "priority-list 1 protocol ip high list 101",
        "priority-list 1 protocol ip medium list 102",
        "priority-list 1 protocol ip normal list 103",
        "priority-list 1 queue-limit 5 5 5 5",
        "interface Serial0/0",
        " priority-group 1",
      ]),
    ).toEqual([]);
    const s0 = lab.device.findInterface("Serial0/0")!;
    lab.device.stack.transmit(s0, 0, hdlcUdp(9999, 100)); // on the wire: the rest waits
    for (let i = 0; i < 8; i++) for (const p of [5003, 5002, 5001]) lab.device.stack.transmit(s0, 0, hdlcUdp(p));
    const show = renderShowInterfaces(lab.device, s0);
    expect(show).toContain(
      "  Queueing strategy: priority-list 1\n  Output queue (queue priority: size/max/drops):\n     high: 5/5/3, medium: 5/5/3, normal: 5/5/3, low: 0/5/0\n",
    );
    lab.run();
    expect(lab.departures.slice(1).map(dportOf)).toEqual([
      ...Array(5).fill(5001),
      ...Array(5).fill(5002),
      ...Array(5).fill(5003),
    ]);
    expect(lab.exec("show queueing interface Serial0/0")).toBe(
      "Interface Serial0/0 queueing strategy: priority\n\nOutput queue utilization (queue/count)\n\thigh/5 medium/5 normal/5 low/0 \n",
    );
    expect(lab.exec("show queueing priority")).toBe(
      [
        "Current priority queue configuration:",
        "",
        "List   Queue  Args",
        "1      high   protocol ip          list 101",
        "1      medium protocol ip          list 102",
        "1      normal protocol ip          list 103",
        "1      high   limit 5",
        "1      medium limit 5",
        "1      normal limit 5",
        "1      low    limit 5",
        "",
      ].join("\n"),
    );
    const run = lab.exec("show running-config");
    expect(run).toContain(" priority-group 1\n");
    expect(run).toContain(
      "priority-list 1 protocol ip high list 101\npriority-list 1 protocol ip medium list 102\npriority-list 1 protocol ip normal list 103\npriority-list 1 queue-limit 5 5 5 5\n",
    );
  });

  test("a later arrival in high overtakes what waits in normal", () => {
    const lab = queueLab();
    lab.load([...ACLS, "priority-list 2 protocol ip high udp 5001", "interface Serial0/0", " priority-group 2"]);
    const s0 = lab.device.findInterface("Serial0/0")!;
    lab.device.stack.transmit(s0, 0, hdlcUdp(9999, 100));
    for (let i = 0; i < 3; i++) lab.device.stack.transmit(s0, 0, hdlcUdp(5003));
    lab.run(lab.departures[0]!.at + 1); // nothing due yet
    lab.device.stack.transmit(s0, 0, hdlcUdp(5001));
    lab.run();
    expect(lab.departures.slice(1).map(dportOf)).toEqual([5001, 5003, 5003, 5003]);
  });
});

describe("custom queueing", () => {
  test("byte counts share the line: 3000 vs 1500 bytes a round gives two packets to one", () => {
    const lab = queueLab();
    expect(
      lab.load([
        ...ACLS,
        "queue-list 1 protocol ip 1 list 101",
        "queue-list 1 protocol ip 2 list 102",
        "queue-list 1 queue 1 byte-count 3000 limit 40",
        "queue-list 1 queue 2 limit 40",
        "interface Serial0/0",
        " custom-queue-list 1",
      ]),
    ).toEqual([]);
    const s0 = lab.device.findInterface("Serial0/0")!;
    lab.device.stack.transmit(s0, 0, hdlcUdp(9999, 100));
    for (let i = 0; i < 30; i++) for (const p of [5001, 5002]) lab.device.stack.transmit(s0, 0, hdlcUdp(p, 1000));
    expect(renderShowInterfaces(lab.device, s0)).toContain(
      "  Queueing strategy: custom-list 1\n  Output queues: (queue #: size/max/drops)\n     0: 0/20/0 1: 30/40/0 2: 30/40/0 3: 0/20/0 4: 0/20/0 \n",
    );
    lab.run();
    const first30 = lab.departures.slice(1, 31).map(dportOf);
    expect(first30.filter((p) => p === 5001).length).toBe(20);
    expect(first30.filter((p) => p === 5002).length).toBe(10);
    expect(lab.exec("show queueing custom")).toBe(
      [
        "Current custom queue configuration:",
        "",
        "List   Queue  Args",
        "1      1      protocol ip          list 101",
        "1      2      protocol ip          list 102",
        "1      1      byte-count 3000 limit 40",
        "1      2      limit 40",
        "",
      ].join("\n"),
    );
    expect(lab.exec("show running-config")).toContain(
      "queue-list 1 protocol ip 1 list 101\nqueue-list 1 protocol ip 2 list 102\nqueue-list 1 queue 1 byte-count 3000 limit 40\nqueue-list 1 queue 2 limit 40\n",
    );
  });

  test("no queue-list N removes the list: everything goes to the default queue 1", () => {
    const lab = queueLab();
    lab.load([...ACLS, "queue-list 3 protocol ip 4 list 101", "interface Serial0/0", " custom-queue-list 3"]);
    lab.load(["no queue-list 3"]);
    expect(lab.exec("show running-config")).not.toContain("queue-list 3 protocol");
    const s0 = lab.device.findInterface("Serial0/0")!;
    lab.device.stack.transmit(s0, 0, hdlcUdp(9999, 100));
    lab.device.stack.transmit(s0, 0, hdlcUdp(5001));
    expect(renderShowInterfaces(lab.device, s0)).toContain("     0: 0/20/0 1: 1/20/0 2: 0/20/0 ");
  });
});

describe("show queue and show queueing fair", () => {
  test("WFQ conversations with depth, weight and latest packet; fair lists the interface's parameters", () => {
    const lab = queueLab();
    lab.load(["interface Serial0/0", " fair-queue 32 64"]);
    const s0 = lab.device.findInterface("Serial0/0")!;
    lab.device.stack.transmit(s0, 0, hdlcUdp(9999, 100));
    for (let i = 0; i < 2; i++) lab.device.stack.transmit(s0, 0, hdlcUdp(5001, 580, 0xa0));
    const text = lab.exec("show queue Serial0/0");
    expect(text).toContain("     Conversations  1/1/64 (active/max active/max total)\n");
    expect(text).toMatch(
      /\n {2}\(depth\/weight\/total drops\/no-buffer drops\/interleaves\) 2\/5397\/0\/0\/0\n {2}Conversation \d+, linktype: ip, length: 584\n {2}source: 10\.0\.12\.1, destination: 10\.0\.12\.2, TOS: 160 prot: 17,\n {2}source port 5000, destination port 5001\n/,
    );
    expect(lab.exec("show queueing fair")).toContain("  Serial0/0           32         64       0         1       0\n");
  });
});

describe("refusals", () => {
  test("queueing on an interface without a port, a bad queue name or list number: the line is refused, the rest loads", () => {
    const lab = queueLab();
    const errors = lab.load([
      "interface Loopback0",
      " fair-queue",
      "priority-list 1 protocol ip urgent list 101",
      "queue-list 17 protocol ip 1 list 101",
      "priority-list 1 protocol ip high udp 5001",
    ]);
    expect(errors.length).toBe(3);
    expect(errors[0]).toContain("% Queueing is not supported on this interface");
    expect(errors[1]).toContain("% Invalid input detected at '^' marker.");
    expect(errors[2]).toContain("% Invalid input detected at '^' marker.");
    expect(lab.exec("show queueing priority")).toContain("1      high   protocol ip          udp 5001\n");
  });
});
